import { type AbortListener, unwatchAbort } from './abort-watch.js';
import type { ScopeStore } from './memo-store.js';
import { RUNNING, type Run } from './run-entry.js';

/**
 * A caller's wait on a running entry that the caller may leave: by its own signal aborting, by its `all()` group
 * failing fast, or by its calling run being aborted. Leaving never touches the run unless it was the last wait.
 */
export class Waiter implements AbortListener {
  /** Whether this wait is over: the run settled for it, or the caller left. */
  done = false;
  #rejectOwn: ((reason: unknown) => void) | undefined = undefined;

  readonly #store: ScopeStore;
  readonly #signal: AbortSignal | undefined;

  /**
   * @param store the scope the run lives in, to abort the run if this was its last wait.
   * @param run the run waited for.
   * @param signal the caller's own signal, if any; the wait leaves when it aborts.
   */
  constructor(
    store: ScopeStore,
    readonly run: Run,
    signal: AbortSignal | undefined,
  ) {
    this.#store = store;
    this.#signal = signal;
  }

  /** A promise of the run's outcome that this caller's signal can reject early. */
  forward(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#rejectOwn = reject;
      this.run.entry.promise.then(
        (value) => {
          if (this.#finish()) resolve(value);
        },
        (error: unknown) => {
          if (this.#finish()) reject(error);
        },
      );
    });
  }

  /** The caller's signal aborted: the caller leaves with its reason. */
  onAbort(reason: unknown): void {
    this.leave(reason);
  }

  /** This caller stops waiting; the run is abandoned if no one else waits. */
  leave(reason: unknown): void {
    if (this.release(reason)) this.#store.abort(this.run, reason);
  }

  /** Stops waiting without touching the run; true if that left the run going on with no one waiting. */
  release(reason: unknown): boolean {
    if (this.done) return false;
    this.done = true;
    if (this.#signal !== undefined) unwatchAbort(this.#signal, this);
    this.#rejectOwn?.(reason);
    const run = this.run;
    if (run.state !== RUNNING) return false;
    if (--run.waiterCount === 0 && !run.pinned) return true;
    if (run.entry.spec.cacheErrors && reason !== undefined) (run.leftWith ??= []).push(reason);
    return false;
  }

  #finish(): boolean {
    if (this.done) return false;
    this.done = true;
    if (this.#signal !== undefined) unwatchAbort(this.#signal, this);
    return true;
  }
}

/** The waits of one `all()` / `allSettled()` call, left together when it fails fast or its signal aborts. */
export class WaitGroup {
  /** The group's waits, one per bound task that joined a run. */
  readonly waiters: Waiter[] = [];

  /** The group stops waiting with `reason` (its first failure, or its signal's reason), abandoning lone runs. */
  leaveAll(reason: unknown): void {
    for (const waiter of this.waiters) waiter.leave(reason);
  }
}
