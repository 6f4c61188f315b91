import { type Duration, parseDuration } from './duration.js';

/**
 * Reads a timer delay: like {@link parseDuration}, except that a negative number means "now" (0), as it does for
 * `setTimeout`. Deadlines are often computed as `deadline - clock.now()`, which goes negative once the deadline
 * has passed; that is not a mistake worth throwing for. A negative string such as `'-5m'` is still rejected,
 * because nobody computes a string.
 */
export function parseDelay(d: Duration): number {
  if (typeof d === 'number' && d < 0 && Number.isFinite(d)) return 0;
  return parseDuration(d);
}
