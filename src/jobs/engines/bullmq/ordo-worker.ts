import { Worker, type Job, type Span } from 'bullmq';
import type { JobEnvelope } from './job-record.js';

/** What an {@link OrdoWorker} reports when BullMQ refused to record an outcome. */
export type RefusalListener = (job: Job<JobEnvelope>, outcome: 'completion' | 'failure', error: unknown) => void;

/**
 * BullMQ's Worker, through its protected extension points, so that a refused outcome is reported with its job:
 * BullMQ fences completion and failure by the claim token (its scripts check the lock before writing), and a worker
 * whose lock was taken over gets an error with no job attached.
 */
export class OrdoWorker extends Worker<JobEnvelope> {
  /** Called when an outcome is refused; the error goes on to BullMQ as before. */
  onRefused: RefusalListener = () => {};

  protected override async handleCompleted(
    result: unknown,
    job: Job<JobEnvelope>,
    token: string,
    fetchNextCallback?: () => boolean,
    span?: Span,
  ): Promise<Job<JobEnvelope>> {
    try {
      return await super.handleCompleted(result, job, token, fetchNextCallback, span);
    } catch (error) {
      this.onRefused(job, 'completion', error);
      throw error;
    }
  }

  protected override async handleFailed(
    err: Error,
    job: Job<JobEnvelope>,
    token: string,
    fetchNextCallback?: () => boolean,
    span?: Span,
  ): Promise<Job<JobEnvelope>> {
    try {
      return await super.handleFailed(err, job, token, fetchNextCallback, span);
    } catch (error) {
      this.onRefused(job, 'failure', error);
      throw error;
    }
  }

  /**
   * Stops as a killed process would, for tests: renews no lock and claims nothing more, while the handlers running
   * go on and their outcomes reach Redis late, where the claim token refuses them.
   */
  halt(): void {
    void this.lockManager.close();
    void this.pause(true);
  }
}
