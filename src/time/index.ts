/** The public face of the time capability: durations and the clocks. */
export { type Duration, InvalidDurationError, parseDuration, formatDuration } from './duration.js';
export { Clock, type TimerHandle, type Ticker, type TickerOptions } from './clock.js';
export { SystemClock, type SystemClockOptions, type HostTimers, MAX_HOST_TIMER_DELAY } from './system-clock.js';
export {
  VirtualClock,
  type RunAllOptions,
  type VirtualClockOptions,
  type WaitForTimersOptions,
  VIRTUAL_CLOCK_EPOCH,
} from './virtual-clock.js';
export { VirtualClockError } from './virtual-clock-error.js';
