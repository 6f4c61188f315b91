import type { Job } from 'bullmq';
import type { ClaimedJob } from '../../jobs-backend.js';
import type { JobEnvelope } from './job-record.js';

/**
 * A job this process's workers hold: what the drain needs to abort it, hand it back to the queue with its claim
 * token, and release BullMQ's processor from a handler that ignores its abort.
 */
export class InFlightJob {
  readonly job: Job<JobEnvelope>;
  readonly token: string;
  readonly claimed: ClaimedJob;
  /** Set at the drain deadline: whatever the handler does now, the attempt does not count. */
  returned = false;
  /** Set when BullMQ could not renew the lock: another worker may hold the job now. */
  leaseLost = false;
  /** True once the handler settled. */
  settled = false;
  /** Resolves when the drain gave the job back: BullMQ's processor stops waiting for the handler then. */
  readonly released: Promise<void>;
  #release!: () => void;
  readonly #abort = new AbortController();

  constructor(job: Job<JobEnvelope>, token: string, claimed: ClaimedJob) {
    this.job = job;
    this.token = token;
    this.claimed = claimed;
    this.released = new Promise((resolve) => (this.#release = resolve));
  }

  /** The signal the handler gets. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Aborts the handler's signal (once; later calls keep the first reason). */
  abort(reason: string): void {
    if (!this.#abort.signal.aborted) this.#abort.abort(reason);
  }

  /** Lets BullMQ's processor return before the handler settles (the handler is then abandoned). */
  release(): void {
    this.#release();
  }
}
