import type { Clock } from '../time/index.js';

/**
 * Runs `work` with its own AbortSignal, aborted when `parent` aborts or when `timeoutMs` passes on `clock`.
 *
 * Resolves or rejects as `work` does, except that at the deadline it rejects with `timeoutError()` even if
 * `work` ignores its signal: a hook that never returns cannot hold up a boot or a shutdown. An abort of
 * `parent` does not reject by itself: the work decides how to end, within its deadline.
 */
export function runWithDeadline<T>(
  clock: Clock,
  timeoutMs: number,
  parent: AbortSignal | undefined,
  timeoutError: () => Error,
  work: (signal: AbortSignal) => T | Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(parent!.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', forwardAbort, { once: true });

  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimer(timeoutMs, () => {
      const error = timeoutError();
      controller.abort(error);
      reject(error);
    });
    const settle = () => {
      timer.cancel();
      parent?.removeEventListener('abort', forwardAbort);
    };
    new Promise<T>((run) => run(work(controller.signal))).then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}
