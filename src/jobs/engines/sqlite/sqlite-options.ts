import { ConfigurationError } from '../../../errors/index.js';
import { parseDuration, type Duration } from '../../../time/index.js';
import type { SqliteJobsOptions } from '../../jobs-options.js';

/** {@link SqliteJobsOptions} with every default applied and every duration in milliseconds. */
export interface ResolvedSqliteOptions {
  readonly path: string;
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly pollInterval: number;
  readonly lease: number;
  readonly busyTimeout: number;
  readonly keepCompleted: number;
}

/** The defaults of {@link SqliteJobsOptions}. */
export const SQLITE_DEFAULTS = {
  path: '.ordo/jobs.db',
  synchronous: 'FULL',
  pollInterval: 1_000,
  lease: 30_000,
  busyTimeout: 5_000,
} as const;

/** Applies the defaults; throws `ORDO_INVALID_OPTION` naming the option for a value that cannot work. */
export function resolveSqliteOptions(options: SqliteJobsOptions, keepCompleted: number): ResolvedSqliteOptions {
  const synchronous = options.synchronous ?? SQLITE_DEFAULTS.synchronous;
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new ConfigurationError(
      'ORDO_INVALID_OPTION',
      `jobs.sqlite.synchronous must be 'FULL' or 'NORMAL', not ${JSON.stringify(synchronous)}`,
    );
  }
  const path = options.path ?? SQLITE_DEFAULTS.path;
  if (typeof path !== 'string' || path === '') {
    throw new ConfigurationError(
      'ORDO_INVALID_OPTION',
      `jobs.sqlite.path must be a file path, not ${JSON.stringify(path)}`,
    );
  }
  return {
    path,
    synchronous,
    pollInterval: positive('pollInterval', options.pollInterval, SQLITE_DEFAULTS.pollInterval),
    lease: positive('lease', options.lease, SQLITE_DEFAULTS.lease),
    busyTimeout: positive('busyTimeout', options.busyTimeout, SQLITE_DEFAULTS.busyTimeout),
    keepCompleted,
  };
}

function positive(option: string, value: Duration | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (cause) {
    throw new ConfigurationError('ORDO_INVALID_OPTION', `jobs.sqlite.${option} is not a duration: ${String(value)}`, {
      cause,
    });
  }
  if (!(ms > 0)) {
    throw new ConfigurationError('ORDO_INVALID_OPTION', `jobs.sqlite.${option} must be positive, not ${String(value)}`);
  }
  return ms;
}
