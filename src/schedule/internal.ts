/**
 * What the composition root needs from the schedule capability and users do not: the scheduler and the background
 * runtime, as Ordo's own runtimes.
 */
export { Scheduler } from './scheduler.js';
// Background work: the runtime that binds `Background` and drains it at stop.
export { BackgroundRuntime } from './background-runtime.js';
export { DEFAULT_BACKGROUND_TIMEOUT } from './background-pool.js';
