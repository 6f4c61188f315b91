export { type Duration, InvalidDurationError, parseDuration, formatDuration } from './duration.js';
export { Clock, type TimerHandle, type Ticker } from './clock.js';
