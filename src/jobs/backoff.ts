import { ConfigurationError } from '../errors/index.js';
import { describeValue } from '../core/internal.js';
import { parseDuration, type Duration } from '../time/index.js';
import type { BackoffOption } from './job-types.js';

/** A source of uniform random numbers in `[0, 1)`, as `Math.random`; injectable so tests can pin the jitter. */
export type RandomSource = () => number;

/** The default base of the exponential backoff: 1 s. */
export const DEFAULT_BACKOFF_BASE = 1_000;
/** The default cap of the exponential backoff: 1 h. */
export const DEFAULT_BACKOFF_MAX = 3_600_000;

/**
 * The longest wait after failed attempt `attempt` (from 1) under exponential backoff: `min(max, base × 2^(attempt −
 * 1))`. The wait drawn is in `[ceiling / 2, ceiling]`.
 */
export function backoffCeiling(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** (Math.max(1, Math.floor(attempt)) - 1));
}

/**
 * Exponential backoff with equal jitter: a whole number of milliseconds drawn uniformly from `[d/2, d]`, where `d` is
 * {@link backoffCeiling}. Half the wait is fixed, so retries never bunch up at zero; half is random, so failed jobs
 * do not retry in lockstep.
 */
export function exponentialBackoff(attempt: number, base: number, max: number, random: RandomSource): number {
  const ceiling = backoffCeiling(attempt, base, max);
  const half = ceiling / 2;
  return Math.min(ceiling, Math.ceil(half + clampUnit(random()) * half));
}

/** What a failed attempt waits before the next, in milliseconds; never throws. */
export type BackoffPolicy = (attempt: number) => number;

/**
 * Checks a `@Job`'s `backoff` option and makes its policy. A backoff function that throws or returns something that
 * is not a duration falls back to the default exponential backoff, and `onInvalid` hears why.
 *
 * @param where what declared it, for the messages: `@Job("send") on Mailer.send`.
 * @throws ConfigurationError `ORDO_INVALID_JOB` naming the job and the option.
 */
export function backoffPolicy(
  option: BackoffOption | undefined,
  where: string,
  random: RandomSource = Math.random,
  onInvalid: (error: unknown) => void = () => {},
): BackoffPolicy {
  const fallback = (attempt: number): number =>
    exponentialBackoff(attempt, DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_MAX, random);
  if (option === undefined) return fallback;
  if (typeof option === 'function') {
    return (attempt) => {
      try {
        return parseDuration(option(attempt));
      } catch (error) {
        onInvalid(
          new ConfigurationError(
            'ORDO_INVALID_JOB',
            `${where}: the backoff function failed for attempt ${attempt}, so the default backoff applies: ${(error as Error)?.message ?? String(error)}`,
            { cause: error },
          ),
        );
        return fallback(attempt);
      }
    };
  }
  const given = option as unknown as Record<string, unknown>;
  if (given === null || typeof given !== 'object') throw shapeError(where, option);
  if (given.type === 'fixed') {
    const delay = durationOf(given.delay, 'backoff.delay', where, true);
    if (delay === undefined) throw shapeError(where, option);
    return () => delay;
  }
  if (given.type === 'exponential') {
    const base = durationOf(given.base, 'backoff.base', where, false) ?? DEFAULT_BACKOFF_BASE;
    const max = durationOf(given.max, 'backoff.max', where, false) ?? Math.max(DEFAULT_BACKOFF_MAX, base);
    if (max < base) {
      throw new ConfigurationError(
        'ORDO_INVALID_JOB',
        `${where}: backoff.max ${describeValue(given.max)} is shorter than backoff.base ${describeValue(given.base ?? DEFAULT_BACKOFF_BASE)}`,
      );
    }
    return (attempt) => exponentialBackoff(attempt, base, max, random);
  }
  throw shapeError(where, option);
}

function durationOf(value: unknown, option: string, where: string, zeroAllowed: boolean): number | undefined {
  if (value === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(value as Duration);
  } catch (cause) {
    throw new ConfigurationError('ORDO_INVALID_JOB', `${where}: ${option}: ${(cause as Error).message}`, { cause });
  }
  if (ms === 0 && !zeroAllowed) {
    throw new ConfigurationError(
      'ORDO_INVALID_JOB',
      `${where}: ${option} must be at least 1 ms, got ${describeValue(value)}`,
    );
  }
  return ms;
}

function shapeError(where: string, option: unknown): ConfigurationError {
  return new ConfigurationError(
    'ORDO_INVALID_JOB',
    `${where}: backoff must be { type: 'exponential', base?, max? }, { type: 'fixed', delay } or a function of the attempt, got ${describeValue(option)}`,
  );
}

function clampUnit(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0;
}
