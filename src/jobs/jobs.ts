import type { EnqueueOptions, JobCounts, JobId, JobInfo, JobListQuery, JobPage } from './job-types.js';

/**
 * The app's durable jobs: inject it to enqueue work for a `@Job` handler and to look after the jobs stored. The same
 * on every engine. It is the injection token too (`@inject(Jobs)`, or a constructor parameter typed `Jobs`).
 *
 * @example
 * ```ts
 * @Component()
 * class Signup {
 *   constructor(private readonly jobs: Jobs) {}
 *   async register(user: User) {
 *     await this.jobs.enqueue('send-email', { to: user.email }, { key: `welcome:${user.id}` });
 *   }
 * }
 * ```
 */
export abstract class Jobs {
  /**
   * Stores a job for the handler of `name`, due at once, after `delay`, or at `runAt` (a `runAt` in the past is
   * now), and resolves with its id once it is stored. With a `key`, while a job of that name and key is pending,
   * delayed or running, resolves with that job's id and adds nothing.
   *
   * @throws JobError `ORDO_UNKNOWN_JOB` for a name no `@Job` declares, `ORDO_JOB_PAYLOAD` for a payload that is not
   * JSON (naming the path at fault), `ORDO_JOB_PAYLOAD_TOO_LARGE`, `ORDO_JOB_OPTION` for options that cannot work,
   * `ORDO_JOBS_CLOSED` once the app closed.
   */
  abstract enqueue(name: string, payload: unknown, options?: EnqueueOptions): Promise<JobId>;
  /** The job with this id, or undefined when the store holds none (never enqueued, or removed). */
  abstract get(id: JobId): Promise<JobInfo | undefined>;
  /** A page of jobs, oldest enqueue first, by state and name; `limit` defaults to 100 and may be up to 1000. */
  abstract list(query?: JobListQuery): Promise<JobPage>;
  /**
   * Makes a dead job pending again, with its attempts counted from zero and its `key` held again; false when no dead
   * job has this id, or when a newer live job holds its key (two live jobs never share one).
   */
  abstract retry(id: JobId): Promise<boolean>;
  /** Makes a pending or delayed job dead (last error "cancelled"); false when no such job is pending or delayed. */
  abstract cancel(id: JobId): Promise<boolean>;
  /** How many jobs are in each state. */
  abstract counts(): Promise<JobCounts>;
}
