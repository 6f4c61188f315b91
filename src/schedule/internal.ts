/**
 * What the composition root needs from the schedule capability and users do not: the scheduler, as one of Ordo's
 * own runtimes.
 */
export { Scheduler, RECHECK_INTERVAL } from './scheduler.js';
