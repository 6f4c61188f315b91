import type { ServiceIdentifier } from 'inversify';
import { ConfigurationError, type Runtime } from '../core/index.js';
import { CIRCULAR_IMPORT_HINT, describeValue, durationOption } from '../core/internal.js';
import { checkJobsOptions, type CheckedJobsOptions } from '../jobs/internal.js';
import type { CreateOptions } from './ordo.js';

/** The options of `Ordo.create()` once checked: the overrides read into a list, once. */
export interface CheckedCreateOptions {
  /** The `overrides`, each a pair whose identifier is a class, a string or a symbol. */
  readonly overrides: ReadonlyArray<readonly [ServiceIdentifier, unknown]>;
  /** The `runtimes`, `[]` when none were given. */
  readonly runtimes: readonly Runtime[];
  /** The deprecated `extensions`, `[]` when none were given. */
  readonly extensions: readonly Runtime[];
  /** The `jobs` option: the engine chosen and the shared limits, defaults filled in. */
  readonly jobs: CheckedJobsOptions;
}

/**
 * Checks every option of `Ordo.create()` before anything is bound, so that a value that cannot work is an error
 * naming the option rather than a surprise at `start()` or `stop()` (a negative shutdown budget, a NaN drain
 * delay, a memo bound of -1).
 *
 * @throws ConfigurationError `ORDO_INVALID_OPTION` naming the option and, in a list, the position.
 */
export function checkCreateOptions(options: CreateOptions): CheckedCreateOptions {
  if (options === null || typeof options !== 'object') {
    throw invalid(`Ordo.create() options must be an object, got ${describeValue(options)}`);
  }
  durationOption(options.shutdownTimeout, 'Ordo.create() option shutdownTimeout');
  durationOption(options.drainDelay, 'Ordo.create() option drainDelay', { zeroAllowed: true });
  const entries: unknown = options.appTaskEntries;
  if (entries !== undefined && entries !== Infinity && !(Number.isInteger(entries) && (entries as number) >= 1)) {
    throw invalid(
      `Ordo.create() option appTaskEntries must be a whole number of at least 1 (or Infinity), got ${describeValue(entries)}`,
    );
  }
  return {
    overrides: overridesOf(options.overrides),
    runtimes: runtimesOf(options.runtimes, 'runtimes'),
    extensions: runtimesOf(options.extensions, 'extensions'),
    jobs: checkJobsOptions(options.jobs),
  };
}

function overridesOf(overrides: unknown): Array<readonly [ServiceIdentifier, unknown]> {
  if (overrides === undefined) return [];
  if (
    overrides === null ||
    typeof overrides !== 'object' ||
    typeof (overrides as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw invalid(
      `Ordo.create() option overrides must be an iterable of [identifier, value] pairs, such as [override(Clock, clock)] or [[Clock, clock]], got ${describeValue(overrides)}`,
    );
  }
  const entries = [...(overrides as Iterable<unknown>)];
  entries.forEach((entry, index) => {
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw invalid(
        `Ordo.create() option overrides[${index}] must be a pair [identifier, value], got ${describeValue(entry)}`,
      );
    }
    const id: unknown = entry[0];
    if (typeof id === 'function' || typeof id === 'symbol' || (typeof id === 'string' && id !== '')) return;
    throw invalid(
      id === undefined
        ? `Ordo.create() option overrides[${index}] replaces undefined, ${CIRCULAR_IMPORT_HINT}; break the import cycle`
        : `Ordo.create() option overrides[${index}] replaces ${describeValue(id)}; an identifier is a class, a string or a symbol`,
    );
  });
  return entries as Array<readonly [ServiceIdentifier, unknown]>;
}

function runtimesOf(runtimes: unknown, option: 'runtimes' | 'extensions'): readonly Runtime[] {
  if (runtimes === undefined) return [];
  if (!Array.isArray(runtimes))
    throw invalid(`Ordo.create() option ${option} must be an array, got ${describeValue(runtimes)}`);
  runtimes.forEach((runtime: unknown, index) => {
    if (runtime === null || typeof runtime !== 'object' || typeof (runtime as Runtime).name !== 'string') {
      throw invalid(
        `Ordo.create() option ${option}[${index}] must be an object with a name, got ${describeValue(runtime)}`,
      );
    }
  });
  return runtimes as Runtime[];
}

function invalid(message: string): ConfigurationError {
  return new ConfigurationError('ORDO_INVALID_OPTION', message);
}
