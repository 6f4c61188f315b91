import type { Logger } from '../core/index.js';
import type { Clock } from '../time/index.js';
import type { JobCounts, JobId, JobInfo, JobListQuery, JobPage } from './job-types.js';

/**
 * A job to add, checked by `Jobs` before an engine sees it: the name is a declared job, the payload is already
 * JSON text within the size limit, and `runAt` is an instant on the app's Clock.
 */
export interface NewJob {
  readonly name: string;
  /** The payload as JSON text. */
  readonly payload: string;
  /** Due at, epoch milliseconds on the app's Clock; `<= now` means at once. */
  readonly runAt: number;
  /** Enqueued at, epoch milliseconds on the app's Clock. */
  readonly enqueuedAt: number;
  /** The attempts the job gets, from its `@Job` options. */
  readonly maxAttempts: number;
  /** The idempotency key: while a job with the same name and key is pending, delayed or running, return its id. */
  readonly key?: string;
}

/** A job a worker claimed, handed to {@link JobQueueSpec.run}. */
export interface ClaimedJob {
  readonly id: JobId;
  readonly name: string;
  /** The payload, parsed from JSON. */
  readonly payload: unknown;
  /** This attempt, from 1: the attempts made before it plus one. */
  readonly attempt: number;
  readonly enqueuedAt: number;
  /** For a tick an engine made itself from a {@link JobSchedule}: the tick's slot, epoch milliseconds. */
  readonly scheduledAt?: number;
}

/**
 * A schedule whose ticks an engine makes itself, once across every process sharing it (BullMQ's job schedulers):
 * each tick is a job named `job`, handed to its queue's `run` with {@link ClaimedJob.scheduledAt} set.
 */
export interface JobSchedule {
  /** The job name of its ticks; also the schedule's id in the engine (one per schedule). */
  readonly job: string;
  /** A period in milliseconds: ticks at whole multiples of it since the epoch. */
  readonly every?: number;
  /** A cron expression (croner's syntax), read in `timeZone` when given. */
  readonly cron?: string;
  readonly timeZone?: string;
}

/**
 * What an engine needs to run the jobs of one name. The engine owns claiming, leases, retries and the states; the
 * policy (how many attempts, how long to back off) comes from here, so every engine behaves alike.
 */
export interface JobQueueSpec {
  readonly name: string;
  /** At most this many jobs of the name run at once in this process. */
  readonly concurrency: number;
  /** The attempts a job gets (also given per job in {@link NewJob.maxAttempts}). */
  readonly attempts: number;
  /** Milliseconds to wait after attempt `attempt` (from 1) failed, before the next. */
  backoff(attempt: number): number;
  /**
   * Runs one claimed job: the handler, its timeout and its context. Resolves when the attempt succeeded, rejects
   * with the attempt's error when it failed. `signal` is the engine's: it aborts when the lease is lost or the drain
   * deadline passed; the engine then returns the job to the queue without counting the attempt, whatever `run`
   * settles with.
   */
  run(job: ClaimedJob, signal: AbortSignal): Promise<void>;
}

/** What an engine gets when it opens. */
export interface JobsBackendContext {
  /** The app's Clock: leases, delays, backoff and polling go through it (an engine that cannot says so). */
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What an engine reports when its workers stop. */
export interface JobsDrainReport {
  /** Jobs whose handlers finished before the deadline. */
  readonly drained: number;
  /** Jobs whose signals were aborted at the deadline and that went back to the queue, unattempted. */
  readonly returned: number;
  /** Handlers that had not settled when the drain gave up on them (their jobs went back to the queue too). */
  readonly abandoned: readonly ClaimedJob[];
}

/**
 * The contract every job engine implements (SQLite, BullMQ, and later ones such as pg-boss), so that choosing an
 * engine is configuration and never a change to handlers or callers. The shared contract suite in
 * `test/jobs/contract/` runs against every engine.
 *
 * Guarantees an engine gives:
 * - at-least-once: a claimed job holds a lease renewed while it runs; a job whose lease expired (its process died)
 *   is claimed again, and that claim does not count as an attempt;
 * - fencing: a worker whose lease was taken over cannot complete or fail the job;
 * - after `maxAttempts` failed attempts a job is `dead`, with its last error and its attempt history;
 * - `completed` jobs are removed once older than `keepCompleted`.
 */
export interface JobsBackend {
  /** The engine's name in errors and reports: `'sqlite'`, `'bullmq'`. */
  readonly engine: string;
  /** Opens the store (creating its schema); called once, before any other call. */
  open(context: JobsBackendContext): Promise<void>;
  /** Adds a job, or returns the id of the live job with the same name and key. */
  enqueue(job: NewJob): Promise<JobId>;
  get(id: JobId): Promise<JobInfo | undefined>;
  list(query: Required<Pick<JobListQuery, 'limit'>> & Omit<JobListQuery, 'limit'>): Promise<JobPage>;
  counts(): Promise<JobCounts>;
  /**
   * Makes a dead job pending again with a fresh count of attempts, holding its key again; false when no such dead
   * job exists, or when a newer live job holds its key.
   */
  retry(id: JobId): Promise<boolean>;
  /** Makes a pending or delayed job dead (reason: cancelled); false when no such job is pending or delayed. */
  cancel(id: JobId): Promise<boolean>;
  /** Starts claiming and running the jobs of these names; called once, after every component started. */
  work(queues: readonly JobQueueSpec[]): Promise<void>;
  /**
   * Stops claiming, lets running handlers finish until `deadline` (a time on the Clock), then aborts their signals
   * and returns their jobs to the queue without counting the attempt. Never waits past the deadline.
   */
  drain(deadline: number): Promise<JobsDrainReport>;
  /** Releases connections and files; called once, last. */
  close(): Promise<void>;
  /**
   * Cluster-once schedules timed by the app's scheduler (an engine gives this or {@link upsertSchedule}): adds `job`
   * as the tick of `schedule` at `slot` unless a job was added for that schedule and slot already, by any process
   * sharing the store, in one transaction; the new job's id, or undefined when the slot was taken.
   */
  enqueueTick?(job: NewJob, tick: { readonly schedule: string; readonly slot: number }): Promise<JobId | undefined>;
  /** Cluster-once schedules timed by the engine: creates or replaces the schedule, whose ticks it then makes itself. */
  upsertSchedule?(schedule: JobSchedule): Promise<void>;
  /** Removes a schedule given to {@link upsertSchedule} (by its job name): no more ticks, in any process. */
  removeSchedule?(job: string): Promise<void>;
}
