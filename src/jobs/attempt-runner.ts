import { formatDuration, type Clock, type TimerHandle } from '../time/index.js';
import type { ClaimedJob } from './jobs-backend.js';
import { JobError } from './job-errors.js';
import type { CheckedJob } from './job-spec.js';
import type { JobContext } from './job-types.js';

/** A handler resolved at start: the method and the instance it is called on. */
export interface ResolvedHandler {
  readonly fn: (payload: unknown, context: JobContext) => unknown;
  readonly receiver: unknown;
}

/**
 * Runs one attempt of a claimed job: builds its {@link JobContext}, whose signal aborts when the engine's does (lease
 * lost, drain deadline) or when the attempt's `timeout` passes on the Clock, and calls the handler with `this` bound
 * to its instance. Resolves when the handler did; rejects with its error, or with `ORDO_JOB_TIMEOUT` at the timeout
 * whether or not the handler honours its signal (the job's slot is then free for the next attempt).
 */
export function runAttempt(
  job: CheckedJob,
  handler: ResolvedHandler,
  claimed: ClaimedJob,
  engineSignal: AbortSignal,
  clock: Clock,
): Promise<void> {
  const timeoutMs = job.timeoutMs;
  // Without a timeout the attempt's signal is the engine's own: an AbortController and a listener per attempt would
  // cost about 8 µs of a no-op job's 100 (docs/internals/performance.md#a-job-attempts-signal).
  if (timeoutMs === undefined) return call(handler, claimed, contextOf(claimed, engineSignal));
  const controller = new AbortController();
  const forward = (): void => controller.abort(engineSignal.reason);
  if (engineSignal.aborted) forward();
  else engineSignal.addEventListener('abort', forward, { once: true });
  const context = contextOf(claimed, controller.signal);
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      engineSignal.removeEventListener('abort', forward);
      finish();
    };
    const timer: TimerHandle = clock.setTimer(timeoutMs, () => {
      const error = new JobError(
        'ORDO_JOB_TIMEOUT',
        job.name,
        `Job "${job.name}" (id ${claimed.id}), attempt ${claimed.attempt}, timed out after ${formatDuration(timeoutMs)}`,
      );
      controller.abort(error);
      settle(() => reject(error));
    });
    call(handler, claimed, context).then(
      () => settle(resolve),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

function contextOf(claimed: ClaimedJob, signal: AbortSignal): JobContext {
  return { id: claimed.id, attempt: claimed.attempt, signal, enqueuedAt: claimed.enqueuedAt };
}

/** Calls the handler; a synchronous throw rejects, and whatever it returns is awaited as a promise. */
function call(handler: ResolvedHandler, claimed: ClaimedJob, context: JobContext): Promise<void> {
  try {
    return Promise.resolve(handler.fn.call(handler.receiver, claimed.payload, context)).then(() => undefined);
  } catch (error) {
    return Promise.reject(error);
  }
}
