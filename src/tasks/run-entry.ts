import type { Slot } from './memo-store.js';
import type { RecencyNode } from './recency-list.js';
import { describeInput } from './input-key.js';
import type { Waiter } from './run-waiter.js';
import type { TaskSpec } from './task-spec.js';

// Run states, as small integers for the hot path. A run leaves RUNNING exactly once.
/** The body is running (or about to start); callers join it. */
export const RUNNING = 0;
/** The body resolved; the entry holds its value. */
export const SUCCEEDED = 1;
/** The body rejected or threw; the entry is kept only with `cacheErrors`. */
export const FAILED = 2;
/** Abandoned or aborted with the scope; already removed from the cache. */
export const ABORTED = 3;
type RunState = typeof RUNNING | typeof SUCCEEDED | typeof FAILED | typeof ABORTED;

/**
 * One task's result for one input in one scope: the shared promise, and where it lives. It stays in the scope's
 * table while its {@link Run} goes on and, once completed, for as long as its ttl and the scope's bound allow; in a
 * scope where nothing can remove a completed result, the table keeps only its promise (see `Slot`).
 *
 * What only a running entry needs (its callers, its waits, its signal, the resolvers of its promise) is in the
 * {@link Run}, which the entry lets go when it completes: a cached result is a few fields and its promise. See
 * docs/internals/performance.md#a-cached-entry-is-small.
 */
export class RunEntry {
  /** The run while it goes on; `undefined` once it completed. A hit is `run === undefined`, then the promise. */
  run: Run | undefined;
  /** The shared outcome every caller awaits (or forwards): the body's result or failure, or the abort reason. */
  readonly promise: Promise<unknown>;
  /**
   * When a completed result expires; `undefined` for never (running entries, and scopes without ttls). Not
   * `Infinity`: a field that ever holds a fraction gets a number box of its own in every entry, 16 bytes each.
   */
  expiresAt: number | undefined = undefined;

  /**
   * @param spec the task this is a result of.
   * @param key the input's cache key in `home`.
   * @param home the table the entry lives in, so removing it needs no lookup of the task's table.
   * @param input the input as given, for labels in messages and cycle paths.
   */
  constructor(
    readonly spec: TaskSpec<never>,
    readonly key: unknown,
    readonly home: Map<unknown, Slot>,
    input: unknown,
  ) {
    let settleOk!: (value: unknown) => void;
    let settleFailed!: (error: unknown) => void;
    this.promise = new Promise((resolve, reject) => {
      settleOk = resolve;
      settleFailed = reject;
    });
    this.run = new Run(this, input, settleOk, settleFailed);
  }
}

/**
 * An entry of a bounded scope, which also has its place in the scope's recency list: only bounded scopes pay for
 * the links.
 */
export class ListedEntry extends RunEntry implements RecencyNode<ListedEntry> {
  /** The neighbour used more recently in the scope's recency list (only for completed entries). */
  newer: ListedEntry | undefined = undefined;
  /** The neighbour used less recently, see {@link ListedEntry.newer}. */
  older: ListedEntry | undefined = undefined;
  /** Whether the entry is in the recency list (completed, and not yet evicted or expired). */
  listed = false;
}

/**
 * The run of a {@link RunEntry} while it goes on: who waits for it, what it waits for, its signal, and the
 * resolvers of the entry's promise. A body's view of its scope holds its run, so the run (and its signal) lives as
 * long as the body, however long the entry stays cached.
 */
export class Run {
  /** Where the run is: running, succeeded, failed or aborted; it leaves RUNNING once. */
  state: RunState = RUNNING;
  /** A caller without a signal waits: the run is never abandoned, only aborted with the scope. */
  pinned = false;
  /** Callers that could still leave (a signal, a group, a calling run). At zero, and unpinned, the run is abandoned. */
  waiterCount = 0;
  /** The waits this run's own body started on running entries: the edges of the wait-for graph. */
  waits: Waiter[] | undefined = undefined;
  /**
   * The reasons callers left with while the run went on for others, kept only for tasks that cache errors: a
   * failure that is one of them comes from that caller's abort, not from the task, and must not be cached.
   */
  leftWith: unknown[] | undefined = undefined;
  /** Why the run was aborted, once it is; what a body that goes on afterwards is refused with. */
  abortReason: unknown = undefined;
  #controller: AbortController | undefined = undefined;

  /**
   * @param entry the cache entry whose result this run makes.
   * @param input the input as given, for labels in messages and cycle paths.
   * @param settleOk fulfils the entry's promise; called once, by the store, when the body resolves.
   * @param settleFailed rejects the entry's promise; called once, by the store, when the body fails or the run is
   *   aborted.
   */
  constructor(
    readonly entry: RunEntry,
    readonly input: unknown,
    readonly settleOk: (value: unknown) => void,
    readonly settleFailed: (error: unknown) => void,
  ) {}

  /** The run's cancellation signal, made on first use: most runs never look at it. */
  get signal(): AbortSignal {
    let controller = this.#controller;
    if (controller === undefined) {
      controller = this.#controller = new AbortController();
      if (this.state === ABORTED) controller.abort(this.abortReason);
    }
    return controller.signal;
  }

  /** Aborts the run's signal, if anyone asked for it, so the body can stop its work. */
  abortSignal(reason: unknown): void {
    this.#controller?.abort(reason);
  }

  /** `getUser("1")`, for messages. */
  label(): string {
    return `${this.entry.spec.name}(${describeInput(this.input)})`;
  }
}
