import { ConfigurationError } from '../errors/index.js';
import { describeValue, durationOption } from '../core/internal.js';
import type { JobsBackend } from './jobs-backend.js';
import type { JobsOptions } from './jobs-options.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './payload.js';
import type { EngineName } from './engine-loader.js';

/** How long completed jobs are kept when `keepCompleted` is not given: a day. */
export const DEFAULT_KEEP_COMPLETED = 86_400_000;

/** The `jobs` option of `Ordo.create()` once checked: which engine, with its options as given, and the shared limits. */
export interface CheckedJobsOptions {
  /** The engine Ordo loads, or `custom` for a `backend` given. */
  readonly engine: EngineName | 'custom';
  /** The engine's own options, as given (`{}` for the default SQLite engine). */
  readonly engineOptions: object;
  /** The `backend` given, for `custom`. */
  readonly backend: JobsBackend | undefined;
  readonly keepCompletedMs: number;
  readonly maxPayloadBytes: number;
}

const BACKEND_METHODS = ['open', 'enqueue', 'get', 'list', 'counts', 'retry', 'cancel', 'work', 'drain', 'close'];
const KNOWN_OPTIONS = ['sqlite', 'bullmq', 'backend', 'keepCompleted', 'maxPayloadBytes'];

/**
 * Checks the `jobs` option of `Ordo.create()`: at most one of `sqlite`, `bullmq` and `backend`, the engine's
 * options of the right types and its durations valid, `keepCompleted` a duration, `maxPayloadBytes` a whole number.
 *
 * @throws ConfigurationError `ORDO_INVALID_OPTION` naming the option (`Ordo.create() option jobs.sqlite.lease`).
 */
export function checkJobsOptions(options: JobsOptions | undefined): CheckedJobsOptions {
  const at = 'Ordo.create() option jobs';
  const given = (options ?? {}) as Record<string, unknown>;
  objectOption(given, at);
  unknownKeys(given, KNOWN_OPTIONS, at);
  const chosen = (['sqlite', 'bullmq', 'backend'] as const).filter((key) => given[key] !== undefined);
  if (chosen.length > 1) {
    throw invalid(`${at}: give at most one of sqlite, bullmq and backend, got ${chosen.join(' and ')}`);
  }
  const keepCompletedMs =
    durationOption(given.keepCompleted as never, `${at}.keepCompleted`, { zeroAllowed: true }) ??
    DEFAULT_KEEP_COMPLETED;
  const bytes = given.maxPayloadBytes;
  if (bytes !== undefined && !(typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes >= 1)) {
    throw invalid(`${at}.maxPayloadBytes must be a whole number of bytes of at least 1, got ${describeValue(bytes)}`);
  }
  const maxPayloadBytes = (bytes as number | undefined) ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const shared = { keepCompletedMs, maxPayloadBytes };
  if (given.backend !== undefined) {
    return { engine: 'custom', engineOptions: {}, backend: checkBackend(given.backend, `${at}.backend`), ...shared };
  }
  if (given.bullmq !== undefined) {
    const bullmq = given.bullmq as Record<string, unknown>;
    objectOption(bullmq, `${at}.bullmq`);
    const connection = bullmq.connection;
    if (!(
      (typeof connection === 'string' && connection !== '') ||
      (connection !== null && typeof connection === 'object')
    )) {
      throw invalid(
        `${at}.bullmq.connection must be a redis:// URL or ioredis options such as { host, port }, got ${describeValue(connection)}`,
      );
    }
    if (bullmq.prefix !== undefined && (typeof bullmq.prefix !== 'string' || bullmq.prefix === '')) {
      throw invalid(`${at}.bullmq.prefix must be a non-empty string, got ${describeValue(bullmq.prefix)}`);
    }
    durationOption(bullmq.lockDuration as never, `${at}.bullmq.lockDuration`);
    durationOption(bullmq.stalledInterval as never, `${at}.bullmq.stalledInterval`);
    return { engine: 'bullmq', engineOptions: bullmq, backend: undefined, ...shared };
  }
  const sqlite = (given.sqlite ?? {}) as Record<string, unknown>;
  objectOption(sqlite, `${at}.sqlite`);
  if (sqlite.path !== undefined && (typeof sqlite.path !== 'string' || sqlite.path === '')) {
    throw invalid(`${at}.sqlite.path must be a non-empty file path, got ${describeValue(sqlite.path)}`);
  }
  if (sqlite.synchronous !== undefined && sqlite.synchronous !== 'FULL' && sqlite.synchronous !== 'NORMAL') {
    throw invalid(`${at}.sqlite.synchronous must be 'FULL' or 'NORMAL', got ${describeValue(sqlite.synchronous)}`);
  }
  durationOption(sqlite.pollInterval as never, `${at}.sqlite.pollInterval`);
  durationOption(sqlite.lease as never, `${at}.sqlite.lease`);
  durationOption(sqlite.busyTimeout as never, `${at}.sqlite.busyTimeout`);
  return { engine: 'sqlite', engineOptions: sqlite, backend: undefined, ...shared };
}

function checkBackend(backend: unknown, at: string): JobsBackend {
  const candidate = backend as Record<string, unknown>;
  const missing =
    candidate === null || typeof candidate !== 'object'
      ? BACKEND_METHODS
      : BACKEND_METHODS.filter((method) => typeof candidate[method] !== 'function');
  if (missing.length > 0) {
    throw invalid(
      `${at} must implement the JobsBackend contract; ${describeValue(backend)} has no ${missing.join(', ')} method${missing.length === 1 ? '' : 's'}`,
    );
  }
  if (typeof candidate.engine !== 'string' || candidate.engine === '') {
    throw invalid(`${at}.engine must be the engine's name, a non-empty string, got ${describeValue(candidate.engine)}`);
  }
  return backend as JobsBackend;
}

function objectOption(value: unknown, at: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${at} must be an object, got ${describeValue(value)}`);
  }
}

function unknownKeys(value: Record<string, unknown>, known: readonly string[], at: string): void {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) throw invalid(`${at} has no option ${unknown}; its options are ${known.join(', ')}`);
}

function invalid(message: string): ConfigurationError {
  return new ConfigurationError('ORDO_INVALID_OPTION', message);
}
