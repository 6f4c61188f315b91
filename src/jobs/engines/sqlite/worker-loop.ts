import { messageOf, OrdoError } from '../../../errors/index.js';
import type { Logger } from '../../../core/index.js';
import type { Clock, TimerHandle } from '../../../time/index.js';
import type { ClaimedJob, JobQueueSpec } from '../../jobs-backend.js';
import type { JobStore } from './job-store.js';
import { keepLease, type KeptLease } from './lease.js';
import type { ClaimedRow } from './statements.js';

/** What a queue's worker needs from its backend. */
export interface WorkerContext {
  readonly store: JobStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a claim holds, ms. */
  readonly lease: number;
  /** How often to look for jobs other processes added, ms. */
  readonly pollInterval: number;
}

/** A job this process is running. */
export interface RunningJob {
  readonly job: ClaimedJob;
  readonly rowId: number;
  readonly token: string;
  readonly controller: AbortController;
  /** Settles when the handler has settled and its outcome is written (or dropped). */
  readonly done: Promise<void>;
  /** Whether the handler settled. */
  readonly settled: boolean;
  /** Marks the job as given back by a drain: its outcome is then dropped. */
  giveBack(): void;
}

/**
 * The worker of one job name in this process: claims due jobs up to the queue's concurrency, runs them under a
 * renewed lease, and writes each outcome fenced by its claim token. It looks again when a run ends, when this
 * process enqueues (through `wake()`), at the earliest delayed job's `runAt`, and every `pollInterval` for jobs
 * of other processes (and leases that lapsed there).
 */
export class QueueWorker {
  readonly #spec: JobQueueSpec;
  readonly #context: WorkerContext;
  readonly #running = new Map<number, RunningJob>();
  #stopped = false;
  #closed = false;
  #wakeQueued = false;
  #timer: TimerHandle | undefined;

  constructor(spec: JobQueueSpec, context: WorkerContext) {
    this.#spec = spec;
    this.#context = context;
  }

  /** The jobs running now. */
  get running(): RunningJob[] {
    return [...this.#running.values()];
  }

  /** Looks for due jobs soon (after the current synchronous work), once however often it is called meanwhile. */
  wake(): void {
    if (this.#stopped || this.#wakeQueued) return;
    this.#wakeQueued = true;
    queueMicrotask(() => {
      this.#wakeQueued = false;
      this.#pump();
    });
  }

  /** Claims nothing more, and disarms its timer; running jobs go on. */
  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** Stops, and drops the outcomes of runs still going: the connection is closing (their leases will lapse). */
  close(): void {
    this.stop();
    this.#closed = true;
    for (const run of this.#running.values()) run.giveBack();
  }

  #pump(): void {
    if (this.#stopped) return;
    const { store, clock, logger, lease, pollInterval } = this.#context;
    const free = this.#spec.concurrency - this.#running.size;
    if (free <= 0) return;
    const now = clock.now();
    let rows: readonly ClaimedRow[] = [];
    try {
      const claim = store.claim(this.#spec.name, free, now, now + lease);
      for (const { id, name } of claim.reaped) {
        logger.warn(
          { job: String(id), name },
          `job ${id} (${name}): its lease lapsed (its worker died?); back to pending`,
        );
      }
      rows = claim.claimed;
      for (const row of rows) this.#start(row, claim.token, now);
    } catch (err) {
      logger.error({ err, name: this.#spec.name }, `sqlite jobs: claiming jobs of ${this.#spec.name} failed; retrying`);
    }
    this.#timer?.cancel();
    this.#timer = undefined;
    // Full: the end of a run looks again. Otherwise nothing is due now; look at the next due time or the poll.
    if (rows.length >= free) return;
    let delay = pollInterval;
    try {
      const next = store.nextDue(this.#spec.name);
      if (next !== undefined) delay = Math.min(pollInterval, Math.max(0, next - clock.now()));
    } catch (err) {
      logger.error(
        { err, name: this.#spec.name },
        `sqlite jobs: reading the next due job of ${this.#spec.name} failed`,
      );
    }
    this.#timer = clock.setTimer(delay, () => {
      this.#timer = undefined;
      this.#pump();
    });
  }

  #start(row: ClaimedRow, token: string, startedAt: number): void {
    const { store, clock, logger, lease } = this.#context;
    const controller = new AbortController();
    const id = String(row.id);
    let givenBack = false;
    let lost = false;
    let settled = false;
    const job: ClaimedJob = {
      id,
      name: row.name,
      payload: parsePayload(row.payload),
      attempt: row.attempts + 1,
      enqueuedAt: row.enqueued_at,
    };
    const kept: KeptLease = keepLease(
      clock,
      lease,
      (leaseUntil) => store.renew(row.id, token, leaseUntil),
      () => {
        lost = true;
        logger.warn(
          { job: id, name: row.name },
          `job ${id} (${row.name}): its lease was taken over; aborting this run`,
        );
        controller.abort(
          new OrdoError('ORDO_STOPPED', `job ${id} (${row.name}): its lease was taken over by another worker`),
        );
      },
      logger,
      job,
    );
    const done = runHandler(this.#spec, job, controller.signal).then((failure) => {
      settled = true;
      kept.stop();
      this.#running.delete(row.id);
      if (!givenBack && !lost && !this.#closed) this.#record(row, token, job, startedAt, failure);
      this.wake();
    });
    this.#running.set(row.id, {
      job,
      rowId: row.id,
      token,
      controller,
      done,
      get settled() {
        return settled;
      },
      giveBack() {
        givenBack = true;
        kept.stop();
      },
    });
  }

  /** Writes an attempt's outcome, fenced by the claim's token: a refusal is logged and changes nothing. */
  #record(
    row: ClaimedRow,
    token: string,
    job: ClaimedJob,
    startedAt: number,
    failure: { error: unknown } | undefined,
  ): void {
    const { store, clock, logger } = this.#context;
    const finishedAt = clock.now();
    try {
      let written: boolean;
      if (failure === undefined) {
        written = store.complete(row.id, token, finishedAt, { attempt: job.attempt, startedAt, finishedAt });
      } else {
        const error = messageOf(failure.error);
        const retryAt = job.attempt < row.max_attempts ? finishedAt + this.#spec.backoff(job.attempt) : undefined;
        written = store.fail(row.id, token, { attempt: job.attempt, startedAt, finishedAt, error }, retryAt);
      }
      if (!written) {
        logger.warn(
          { job: job.id, name: job.name },
          `job ${job.id} (${job.name}): another worker took it over after this one's lease lapsed; ` +
            `this run's ${failure === undefined ? 'completion' : 'failure'} was refused`,
        );
      }
    } catch (err) {
      logger.error(
        { err, job: job.id, name: job.name },
        `job ${job.id} (${job.name}): its outcome could not be written; it runs again once its lease lapses`,
      );
    }
  }
}

/** Runs the handler: undefined when it resolved, the error when it rejected or threw. */
async function runHandler(
  spec: JobQueueSpec,
  job: ClaimedJob,
  signal: AbortSignal,
): Promise<{ error: unknown } | undefined> {
  try {
    if (job.payload instanceof PayloadError) throw job.payload.cause;
    await spec.run(job, signal);
    return undefined;
  } catch (error) {
    return { error };
  }
}

/** A payload that is not JSON (the file was edited by hand): the attempt fails with the parse error. */
class PayloadError {
  constructor(readonly cause: unknown) {}
}

function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return new PayloadError(error);
  }
}
