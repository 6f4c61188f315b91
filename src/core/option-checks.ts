import { parseDuration, type Duration } from '../time/index.js';
import { ConfigurationError } from './errors.js';

/** How a duration option may be zero: a deadline of 0 ms can never be met, a pause of 0 ms is no pause. */
export interface DurationOptionRules {
  /** True for pauses such as `drainDelay`; deadlines must be at least 1 ms. */
  readonly zeroAllowed?: boolean;
}

/**
 * The milliseconds of a duration option, `undefined` when it is not set. `option` names it in the error
 * (`Ordo.create() option shutdownTimeout`, `@Component({ startTimeout }) of class Database`).
 *
 * @throws ConfigurationError `ORDO_INVALID_OPTION` naming the option, with the `InvalidDurationError` as its cause.
 */
export function durationOption(
  value: Duration | undefined,
  option: string,
  rules: DurationOptionRules = {},
): number | undefined {
  if (value === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (cause) {
    throw new ConfigurationError('ORDO_INVALID_OPTION', `${option}: ${(cause as Error).message}`, { cause });
  }
  if (ms === 0 && !rules.zeroAllowed) {
    throw new ConfigurationError(
      'ORDO_INVALID_OPTION',
      `${option}: ${describeValue(value)} is no time at all, a deadline nothing can meet; give at least 1 ms`,
    );
  }
  return ms;
}

/** A short description of a value that is not what an option or a list expects, for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return value.name || 'an anonymous function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null || typeof value !== 'object') return String(value);
  const keys = Object.keys(value);
  return keys.length === 0 ? '{}' : `{ ${keys.join(', ')} }`;
}

/**
 * Why a declared class or identifier is `undefined`, the usual reason: ES modules that import each other see
 * each other's classes as undefined while they are still being evaluated.
 */
export const CIRCULAR_IMPORT_HINT =
  'usually a class imported from a module that imports this one back, which is still undefined while the modules load';
