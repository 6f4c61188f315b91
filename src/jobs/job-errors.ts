import { OrdoError, type OrdoErrorCode } from '../errors/index.js';

/** The codes a {@link JobError} carries: what went wrong with a job once the app runs. */
export type JobErrorCode = Extract<
  OrdoErrorCode,
  | 'ORDO_UNKNOWN_JOB'
  | 'ORDO_JOB_PAYLOAD'
  | 'ORDO_JOB_PAYLOAD_TOO_LARGE'
  | 'ORDO_JOB_OPTION'
  | 'ORDO_JOB_TIMEOUT'
  | 'ORDO_JOB_ABANDONED'
  | 'ORDO_JOBS_CLOSED'
  | 'ORDO_JOBS_ENGINE_FAILED'
>;

/**
 * An error about durable jobs at run time: an enqueue refused (unknown name, a payload that is not JSON or too
 * large, options that cannot work), the reason an attempt's signal aborts at its `timeout`, a handler that ignored
 * its abort at shutdown, the store failing to open, or a call after the app closed. Mistakes in how a `@Job` is
 * declared are `ConfigurationError`s, found at `Ordo.create()`.
 */
export class JobError extends OrdoError {
  declare readonly code: JobErrorCode;

  /** The job's name, when one job is concerned. */
  readonly job: string | undefined;

  constructor(code: JobErrorCode, job: string | undefined, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.job = job;
  }
}
