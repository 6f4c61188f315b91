/**
 * The public face of the jobs capability: the types of durable jobs. The engines' contract is in internal.ts.
 */
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
