/**
 * The BullMQ engine's module, loaded by the jobs core with a dynamic `import()` only when the app runs its `@Job`s
 * on Redis. It imports bullmq and ioredis statically, so loading it is what fails when one of them is missing.
 */
import type { CreateJobsBackend } from '../../internal.js';
import type { BullmqJobsOptions } from '../../jobs-options.js';
import { BullmqBackend } from './bullmq-backend.js';

/** Builds the BullMQ engine from its options; no I/O until `open()`. */
export const createBackend: CreateJobsBackend<BullmqJobsOptions> = (options, shared) =>
  new BullmqBackend(options, shared);

export { cronerRepeatStrategy } from './croner-repeat.js';
