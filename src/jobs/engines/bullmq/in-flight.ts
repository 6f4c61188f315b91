import type { Job } from 'bullmq';
import type { ClaimedJob } from '../../jobs-backend.js';
import type { JobEnvelope } from './job-record.js';

/** How a held job's run ended for BullMQ's processor: settled, or released by the drain before it settled. */
export type RunOutcome = { readonly failed: false } | { readonly failed: true; readonly error: unknown } | 'released';

const SUCCEEDED: RunOutcome = { failed: false };

/**
 * A job this process's workers hold: what the drain needs to hand it back to the queue with its claim token, and to
 * release BullMQ's processor from a handler that ignores its abort.
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
  #resolve!: (outcome: RunOutcome) => void;

  constructor(job: Job<JobEnvelope>, token: string, claimed: ClaimedJob) {
    this.job = job;
    this.token = token;
    this.claimed = claimed;
  }

  /** Follows `run`: resolves with its outcome, or with `'released'` once {@link release} is called. */
  follow(run: Promise<void>): Promise<RunOutcome> {
    const outcome = new Promise<RunOutcome>((resolve) => (this.#resolve = resolve));
    run.then(
      () => {
        this.settled = true;
        this.#resolve(SUCCEEDED);
      },
      (error: unknown) => {
        this.settled = true;
        this.#resolve({ failed: true, error });
      },
    );
    return outcome;
  }

  /** Lets BullMQ's processor return before the handler settles (the handler is then abandoned). */
  release(): void {
    this.#resolve('released');
  }
}
