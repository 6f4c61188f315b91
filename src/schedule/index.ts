/**
 * The public face of the schedule capability. What the composition root needs beyond this is in internal.ts.
 */
// Background work after a response.
export { Background, type BackgroundFn, type BackgroundOptions } from './background.js';
export { BackgroundError, type BackgroundErrorCode } from './background-errors.js';
