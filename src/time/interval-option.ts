import { ConfigurationError } from '../errors/index.js';
import { type Duration, parseDuration } from './duration.js';

/**
 * A clock's `wallRecheckInterval` option in milliseconds: `fallback` when absent, else a positive duration.
 *
 * @throws ConfigurationError (`ORDO_INVALID_OPTION`) naming the clock and the value.
 */
export function positiveInterval(clockName: string, option: Duration | undefined, fallback: number): number;
export function positiveInterval(
  clockName: string,
  option: Duration | undefined,
  fallback: undefined,
): number | undefined;
export function positiveInterval(
  clockName: string,
  option: Duration | undefined,
  fallback: number | undefined,
): number | undefined {
  if (option === undefined) return fallback;
  let ms: number;
  try {
    ms = parseDuration(option);
  } catch (cause) {
    throw new ConfigurationError(
      'ORDO_INVALID_OPTION',
      `${clockName}({ wallRecheckInterval }): ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  if (ms <= 0) {
    throw new ConfigurationError(
      'ORDO_INVALID_OPTION',
      `${clockName}({ wallRecheckInterval }) must be positive, got ${JSON.stringify(option)}`,
    );
  }
  return ms;
}
