import type { Clock } from '../time/index.js';

/**
 * Aborts every run that joined it, at once, when it is aborted: the parent of many {@link runWithDeadline} runs.
 *
 * It stands in for a shared parent AbortSignal, which would take one listener per run: Node warns past ten
 * listeners on one signal and adds and removes each in time linear in their number, so a wave of thousands of
 * components would pay quadratic time. It also saves creating a signal, which is slow on Node 20.
 */
export class AbortGroup {
  readonly #members = new Set<AbortController>();
  #aborted = false;
  #reason: unknown;

  /** Aborts every member with `reason`, and any that joins later; only the first call counts. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    for (const member of this.#members) member.abort(reason);
    this.#members.clear();
  }

  /** Adds a run's controller, aborting it at once if the group already is. */
  join(member: AbortController): void {
    if (this.#aborted) member.abort(this.#reason);
    else this.#members.add(member);
  }

  /** Removes a run's controller once the run has settled. */
  leave(member: AbortController): void {
    this.#members.delete(member);
  }
}

/** What work that cannot read its signal is given: it never aborts, and nothing listens to it. */
const UNREAD_SIGNAL = new AbortController().signal;

/**
 * Runs `work` with its own AbortSignal, aborted when `parent` aborts or when `timeoutMs` passes on `clock`.
 *
 * Resolves or rejects as `work` does, except that at the deadline it rejects with `timeoutError()` even if
 * `work` ignores its signal: a hook that never returns cannot hold up a boot or a shutdown. An abort of
 * `parent` does not reject by itself: the work decides how to end, within its deadline. Once `work` has settled,
 * its signal is never aborted.
 *
 * `readsSignal: false` says that `work` cannot read its argument: it then gets a shared signal that never aborts
 * instead of one of its own, which it could not tell apart, and the deadline applies all the same.
 */
export function runWithDeadline<T>(
  clock: Clock,
  timeoutMs: number,
  parent: AbortSignal | AbortGroup | undefined,
  timeoutError: () => Error,
  work: (signal: AbortSignal) => T | Promise<T>,
  readsSignal = true,
): Promise<T> {
  const controller = readsSignal ? new AbortController() : undefined;
  const leaveParent = controller && linkToParent(controller, parent);

  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimer(timeoutMs, () => {
      const error = timeoutError();
      controller?.abort(error);
      reject(error);
    });
    const settle = () => {
      timer.cancel();
      leaveParent?.();
    };
    new Promise<T>((run) => run(work(controller ? controller.signal : UNREAD_SIGNAL))).then(
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

/** Makes `parent`'s abort reach `controller`; returns how to undo that, if there is anything to undo. */
function linkToParent(controller: AbortController, parent: AbortSignal | AbortGroup | undefined): (() => void) | undefined {
  if (parent === undefined) return undefined;
  if (parent instanceof AbortGroup) {
    parent.join(controller);
    return () => parent.leave(controller);
  }
  if (parent.aborted) {
    controller.abort(parent.reason);
    return undefined;
  }
  const forwardAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', forwardAbort, { once: true });
  return () => parent.removeEventListener('abort', forwardAbort);
}
