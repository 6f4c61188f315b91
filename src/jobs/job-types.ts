import type { Duration } from '../time/index.js';

/** A job's id, unique within its store: a string whatever the engine. */
export type JobId = string;

/**
 * Where a job is in its life; the same five states on every engine:
 * - `pending`: due, waiting for a worker;
 * - `delayed`: waiting for its `runAt`, or for its next attempt after a failure;
 * - `running`: claimed by a worker under a lease;
 * - `completed`: its handler returned (kept for `keepCompleted`, then removed);
 * - `dead`: its last attempt failed, or it was cancelled; kept with its last error until `retry()` or removal.
 */
export type JobState = 'pending' | 'delayed' | 'running' | 'completed' | 'dead';

/** Every {@link JobState}, in the order of a job's life. */
export const JOB_STATES: readonly JobState[] = ['pending', 'delayed', 'running', 'completed', 'dead'];

/** What a `@Job` handler gets beside its payload. */
export interface JobContext {
  /** The job's id. */
  readonly id: JobId;
  /** This attempt, from 1. A run cut short by a crash or a shutdown does not count as an attempt. */
  readonly attempt: number;
  /**
   * Aborts when the attempt's `timeout` passes (reason: `JobError` `ORDO_JOB_TIMEOUT`), when the lease was lost,
   * or when a shutdown's drain deadline passes (the job then returns to the queue, not counted as an attempt).
   */
  readonly signal: AbortSignal;
  /** When the job was enqueued, epoch milliseconds on the app's Clock. */
  readonly enqueuedAt: number;
}

/** A method Ordo can run as a job handler: `(payload, ctx) => Promise<void>`. */
export type JobHandler<P = never> = (payload: P, context: JobContext) => Promise<void> | void;

/**
 * How long to wait before the next attempt after a failed one:
 * - `{ type: 'exponential', base, max }` (the default: base 1 s, max 1 h): a delay drawn uniformly from
 *   `[d/2, d]` where `d = min(max, base × 2^(attempt − 1))` ("equal jitter");
 * - `{ type: 'fixed', delay }`: always `delay`;
 * - a function of the attempt that failed (from 1), returning a Duration.
 */
export type BackoffOption =
  | { readonly type: 'exponential'; readonly base?: Duration; readonly max?: Duration }
  | { readonly type: 'fixed'; readonly delay: Duration }
  | ((attempt: number) => Duration);

/** Options of `@Job`. */
export interface JobOptions {
  /** How many attempts a job gets before it is dead. @default 3 */
  attempts?: number;
  /** The wait between a failed attempt and the next (see {@link BackoffOption}). @default exponential, 1 s to 1 h */
  backoff?: BackoffOption;
  /** How long one attempt may run before its signal aborts and the attempt fails. @default none */
  timeout?: Duration;
  /** How many jobs of this name one process runs at once. @default 1 */
  concurrency?: number;
}

/** Options of `Jobs.enqueue`. */
export interface EnqueueOptions {
  /** Run no sooner than this long from now. */
  delay?: Duration;
  /** Run no sooner than this instant (a Date or epoch milliseconds); not with `delay`. */
  runAt?: Date | number;
  /**
   * Makes the enqueue idempotent: while a job of the same name and key is pending, delayed or running, enqueueing
   * again returns its id and adds nothing.
   */
  key?: string;
}

/** One attempt of a job, as `Jobs.get` reports it. */
export interface JobAttempt {
  /** The attempt, from 1. */
  readonly attempt: number;
  /** When it started, epoch milliseconds. */
  readonly startedAt: number;
  /** When it ended, epoch milliseconds. */
  readonly finishedAt: number;
  /** Its error's message, when it failed. */
  readonly error?: string;
}

/** A job as its store holds it. */
export interface JobInfo {
  readonly id: JobId;
  readonly name: string;
  readonly state: JobState;
  /** The payload, as read back from JSON. */
  readonly payload: unknown;
  /** The idempotency key it was enqueued with. */
  readonly key?: string;
  /** Attempts made so far (runs cut short by a crash or a shutdown are not counted). */
  readonly attempts: number;
  /** The attempts it gets before it is dead. */
  readonly maxAttempts: number;
  /** Epoch milliseconds. */
  readonly enqueuedAt: number;
  /** When it is (or was) due, epoch milliseconds. */
  readonly runAt: number;
  /** When it completed or died, epoch milliseconds. */
  readonly finishedAt?: number;
  /** The message of its last failure. */
  readonly lastError?: string;
  /** Every finished attempt, oldest first. */
  readonly history: readonly JobAttempt[];
}

/** What `Jobs.list` selects. */
export interface JobListQuery {
  state?: JobState;
  name?: string;
  /** At most this many jobs. @default 100 */
  limit?: number;
  /** The `cursor` of the previous page. */
  cursor?: string;
}

/** A page of `Jobs.list`: the jobs, oldest enqueue first, and the cursor of the next page when there is one. */
export interface JobPage {
  readonly jobs: readonly JobInfo[];
  readonly cursor?: string;
}

/** How many jobs are in each state. */
export type JobCounts = Readonly<Record<JobState, number>>;
