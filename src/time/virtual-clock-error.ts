import { OrdoError } from '../errors/index.js';

/**
 * Thrown by {@link VirtualClock} operations. Codes:
 * - `ORDO_VIRTUAL_TIMER_FAILED`: a timer callback threw while time was advanced (the first error is the cause);
 * - `ORDO_VIRTUAL_CLOCK_LOOP`: timers kept re-arming past a limit (`runAll`, or one instant in `advance`);
 * - `ORDO_VIRTUAL_CLOCK_BACKWARDS`: `advanceTo` a time before now;
 * - `ORDO_WAIT_FOR_TIMERS_TIMEOUT`: `waitForTimers` gave up;
 * - `ORDO_INVALID_TIME`: a start or target time that is not a valid date.
 */
export class VirtualClockError extends OrdoError {}
