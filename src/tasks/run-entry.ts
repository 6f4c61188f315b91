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
 * One run of one task for one input in one scope, and its shared result. It stays in the scope's table while it
 * runs and, once completed, for as long as its ttl and the scope's bound allow. An aborted run is removed at once,
 * so an abort is never what a later caller gets.
 */
export class RunEntry implements RecencyNode<RunEntry> {
  /** Where the run is: running, succeeded, failed or aborted; it leaves RUNNING once. */
  state: RunState = RUNNING;
  /** The shared outcome every caller awaits (or forwards): the body's result or failure, or the abort reason. */
  readonly promise: Promise<unknown>;
  /** Fulfils {@link RunEntry.promise}; called once, by the store, when the body resolves. */
  settleOk!: (value: unknown) => void;
  /** Rejects {@link RunEntry.promise}; called once, by the store, when the body fails or the run is aborted. */
  settleFailed!: (error: unknown) => void;
  /** When a completed result expires; running entries never do. */
  expiresAt = Infinity;
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
  /** The neighbour used more recently in the scope's recency list (only for completed entries of a bounded scope). */
  newer: RunEntry | undefined = undefined;
  /** The neighbour used less recently, see {@link RunEntry.newer}. */
  older: RunEntry | undefined = undefined;
  /** Whether the entry is in the recency list (completed, in a bounded scope). */
  listed = false;

  /**
   * @param spec the task this is a run of.
   * @param key the input's cache key in `home`.
   * @param home the table the entry lives in, so removing it needs no lookup of the task's table.
   * @param input the input as given, for labels in messages and cycle paths.
   */
  constructor(
    readonly spec: TaskSpec<never>,
    readonly key: unknown,
    readonly home: Map<unknown, RunEntry>,
    readonly input: unknown,
  ) {
    this.promise = new Promise((resolve, reject) => {
      this.settleOk = resolve;
      this.settleFailed = reject;
    });
  }

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
    return `${this.spec.name}(${describeInput(this.input)})`;
  }
}
