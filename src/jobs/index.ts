/**
 * The public face of the jobs capability: the `@Job` decorator, `Jobs`, their errors and types, and the engine
 * contract (`JobsBackend` and its types) for an engine of your own (experimental). The runtime is in internal.ts.
 */
export { Job, type JobDecorator } from './job-decorator.js';
export { Jobs } from './jobs.js';
export { JobError, type JobErrorCode } from './job-errors.js';
export type {
  ClaimedJob,
  JobQueueSpec,
  JobsBackend,
  JobsBackendContext,
  JobsDrainReport,
  NewJob,
} from './jobs-backend.js';
export {
  JOB_STATES,
  type BackoffOption,
  type EnqueueOptions,
  type JobAttempt,
  type JobContext,
  type JobCounts,
  type JobHandler,
  type JobId,
  type JobInfo,
  type JobListQuery,
  type JobOptions,
  type JobPage,
  type JobState,
} from './job-types.js';
export type { BullmqConnection, BullmqJobsOptions, JobsOptions, SqliteJobsOptions } from './jobs-options.js';
