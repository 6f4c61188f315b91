import type { Clock, TimerHandle } from '../time/index.js';
import { isThenable } from '../time/internal.js';

/**
 * Aborts every run that joined it, at once, when it is aborted: the parent of many {@link runWithDeadline} runs.
 *
 * It stands in for a shared parent AbortSignal, whose listeners would cost quadratic time on a wide wave: see
 * docs/internals/performance.md#abort-groups.
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

/**
 * Runs `work` with its own AbortSignal, aborted when `parent` aborts or when `deadline` (a time on `clock`) passes.
 *
 * Resolves or rejects as `work` does, except that at the deadline it rejects with `timeoutError()` even if
 * `work` ignores its signal: a hook that never returns cannot hold up a boot or a shutdown. An abort of
 * `parent` does not reject by itself: the work decides how to end, within its deadline. Once `work` has settled,
 * its signal is never aborted.
 *
 * Work that settles as it is called (it returns a value or throws) joins nothing and arms no timer: only work still
 * running when it returns can be aborted or overrun its deadline (see docs/internals/performance.md#hook-deadlines).
 */
export function runWithDeadline<T>(
  clock: Clock,
  deadline: number,
  parent: AbortGroup | undefined,
  timeoutError: () => Error,
  work: (signal: AbortSignal) => T | PromiseLike<T>,
): Promise<T> {
  const controller = new AbortController();
  let result: T | PromiseLike<T>;
  try {
    result = work(controller.signal);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  if (!isThenable(result)) return Promise.resolve(result);
  // Adopted as a promise, so that a thenable whose `then` throws rejects here instead of escaping with a timer armed.
  const running = Promise.resolve(result);
  parent?.join(controller);

  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimer(Math.max(0, deadline - clock.now()), () => {
      const error = timeoutError();
      controller.abort(error);
      reject(error);
    });
    const settle = () => {
      timer.cancel();
      parent?.leave(controller);
    };
    running.then(
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

/** What a wait raced against a {@link Cutoff} gives when the cutoff came first. */
export const CUT_OFF: unique symbol = Symbol('cut off');

/**
 * The end of a shutdown budget, for the waits that no deadline of their own bounds: a factory resolving a
 * component, a start hook still running when stop() came, a runtime's start, stop or close. Each is raced against it
 * and given up on when it comes, so a stop finishes by its deadline whatever it waits on.
 *
 * The deadline is set once, by whichever comes first: `stop()` or the rollback of a failed start. Its timer is
 * armed only while something waits on it, so a stop that waits on nothing unbounded arms no timer of its own.
 */
export class Cutoff {
  #clock?: Clock;
  #deadline?: number;
  #timer?: TimerHandle;
  #passed = false;
  readonly #waiters = new Set<() => void>();

  /** The deadline on the Clock, once set. */
  get deadline(): number | undefined {
    return this.#deadline;
  }

  /** Whether the deadline has passed: every wait raced against it from now on is given up at once. */
  get passed(): boolean {
    return this.#passed;
  }

  /** Sets the deadline unless it is set already; returns the deadline in force. */
  at(clock: Clock, deadline: number): number {
    if (this.#deadline === undefined) {
      this.#clock = clock;
      this.#deadline = deadline;
      this.#arm();
    }
    return this.#deadline;
  }

  /**
   * Settles as `work` does, or resolves with {@link CUT_OFF} once the deadline passes first. Before a deadline is
   * set it only waits for `work`. Work that has settled by the time of the call wins even past the deadline.
   */
  race<T>(work: Promise<T>): Promise<T | typeof CUT_OFF> {
    // The deadline may have come without its timer having fired yet: settled work must still win then.
    if (!this.#passed && this.#deadline !== undefined && this.#clock!.now() >= this.#deadline) {
      this.#timer?.cancel();
      this.#cut();
    }
    if (this.#passed) return Promise.race([work, Promise.resolve(CUT_OFF)]);
    return new Promise<T | typeof CUT_OFF>((resolve, reject) => {
      const cut = () => resolve(CUT_OFF);
      this.#waiters.add(cut);
      // Subscribed before arming: a deadline already reached cuts in a microtask, after a settled work's reaction.
      work.then(
        (value) => {
          this.#leave(cut);
          resolve(value);
        },
        (error: unknown) => {
          this.#leave(cut);
          reject(error);
        },
      );
      this.#arm();
    });
  }

  #arm(): void {
    if (this.#timer || this.#passed || this.#deadline === undefined || this.#waiters.size === 0) return;
    const remaining = this.#deadline - this.#clock!.now();
    if (remaining <= 0) queueMicrotask(() => this.#cut());
    else this.#timer = this.#clock!.setTimer(remaining, () => this.#cut());
  }

  #leave(cut: () => void): void {
    this.#waiters.delete(cut);
    if (this.#waiters.size > 0 || !this.#timer) return;
    // Nothing waits any more: a pending timer would only keep a process alive (or count in a test's timers).
    this.#timer.cancel();
    this.#timer = undefined;
  }

  #cut(): void {
    this.#passed = true;
    this.#timer = undefined;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const cut of waiters) cut();
  }
}
