import { ConfigurationError } from '../errors/index.js';
import { describeValue } from '../core/internal.js';
import { parseDuration } from '../time/index.js';
import { backoffPolicy, type BackoffPolicy, type RandomSource } from './backoff.js';
import type { JobDeclaration } from './job-decorator.js';

/** The attempts a job gets when its `@Job` does not say. */
export const DEFAULT_JOB_ATTEMPTS = 3;

const KNOWN_OPTIONS = new Set(['attempts', 'backoff', 'timeout', 'concurrency']);

/** A `@Job` whose declaration passed every check: the policy its worker runs by. */
export interface CheckedJob {
  readonly name: string;
  /** What declared it, for messages: `@Job("send") on Mailer.send`. */
  readonly where: string;
  readonly attempts: number;
  readonly backoff: BackoffPolicy;
  /** Milliseconds one attempt may run, or undefined for no limit. */
  readonly timeoutMs: number | undefined;
  readonly concurrency: number;
}

/**
 * Checks a `@Job` declaration as `Ordo.create()` does.
 *
 * @param where what declared it: `@Job("send") on Mailer.send`.
 * @throws ConfigurationError `ORDO_INVALID_JOB` naming the job and the option.
 */
export function checkJob(
  declaration: JobDeclaration,
  where: string,
  random?: RandomSource,
  onInvalidBackoff?: (error: unknown) => void,
): CheckedJob {
  const { name } = declaration;
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalid(where, `the job's name must be a non-empty string, got ${describeValue(name)}`);
  }
  const options = declaration.options as Record<string, unknown>;
  if (options === null || typeof options !== 'object') {
    throw invalid(where, `options must be an object, got ${describeValue(options)}`);
  }
  const unknown = Object.keys(options).find((key) => !KNOWN_OPTIONS.has(key));
  if (unknown !== undefined) {
    throw invalid(where, `unknown option ${unknown}; the options are attempts, backoff, timeout and concurrency`);
  }
  const attempts = wholeOption(options.attempts, 'attempts', where) ?? DEFAULT_JOB_ATTEMPTS;
  const concurrency = wholeOption(options.concurrency, 'concurrency', where) ?? 1;
  let timeoutMs: number | undefined;
  if (options.timeout !== undefined) {
    try {
      timeoutMs = parseDuration(options.timeout as never);
    } catch (cause) {
      throw new ConfigurationError('ORDO_INVALID_JOB', `${where}: timeout: ${(cause as Error).message}`, { cause });
    }
    if (timeoutMs === 0) throw invalid(where, 'timeout 0 is a deadline no attempt can meet; give at least 1 ms');
  }
  const backoff = backoffPolicy(options.backoff as never, where, random, onInvalidBackoff);
  return { name, where, attempts, backoff, timeoutMs, concurrency };
}

function wholeOption(value: unknown, option: string, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  throw invalid(where, `${option} must be a whole number of at least 1, got ${describeValue(value)}`);
}

function invalid(where: string, message: string): ConfigurationError {
  return new ConfigurationError('ORDO_INVALID_JOB', `${where}: ${message}`);
}
