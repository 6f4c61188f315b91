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
