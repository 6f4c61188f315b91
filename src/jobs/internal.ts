import type { JobsBackend } from './jobs-backend.js';

/**
 * What the composition root and the engines need from the jobs capability and users do not: the contract every
 * engine implements.
 */
export type {
  ClaimedJob,
  JobQueueSpec,
  JobsBackend,
  JobsBackendContext,
  JobsDrainReport,
  NewJob,
} from './jobs-backend.js';

/**
 * What every engine module exports as `createBackend`: it builds the engine from its options and does no I/O until
 * `open()`. The module imports its npm packages statically, so loading it is what fails when one is missing.
 */
export type CreateJobsBackend<EngineOptions> = (
  options: EngineOptions,
  shared: { readonly keepCompleted: number },
) => JobsBackend;
