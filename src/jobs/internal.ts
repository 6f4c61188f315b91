import type { JobsBackend } from './jobs-backend.js';

/** The runtime the composition root joins to the app, and the check of `Ordo.create()`'s `jobs` option. */
export { JobsRuntime, type JobsRuntimeOptions } from './jobs-runtime.js';
export { checkJobsOptions, DEFAULT_KEEP_COMPLETED, type CheckedJobsOptions } from './jobs-options-check.js';
export { type EngineImporter, type EngineName, ENGINE_PACKAGES } from './engine-loader.js';

/**
 * What the composition root and the engines need from the jobs capability and users do not: the contract every
 * engine implements.
 */
export type {
  ClaimedJob,
  JobQueueSpec,
  JobSchedule,
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
