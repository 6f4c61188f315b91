import { type Clock, type Duration, SystemClock } from '../time/index.js';
import { ScopeStore, type TaskScopeStats } from './memo-store.js';
import type { Run } from './run-entry.js';
import { settleGroup, runGroup } from './parallel.js';
import { callerOf, storeOf } from './scope-internals.js';
import type { BoundTask } from './task.js';
import { parseTtlOption, TaskOptionError } from './task-errors.js';

/** Options of {@link TaskScope}. */
export interface TaskScopeOptions {
  /**
   * Aborting it aborts every running task of the scope and makes the scope refuse new runs.
   *
   * @default none: the scope never aborts
   */
  signal?: AbortSignal;
  /**
   * How long a completed result is kept, counted from its completion. A task's own `ttl` overrides it.
   *
   * @default none: results are kept for the scope's whole life
   *
   * @example
   * ```ts
   * const shared = new TaskScope({ ttl: '5m' }); // a long-lived cache, refreshed every five minutes
   * ```
   */
  ttl?: Duration;
  /**
   * Source of time for ttls. Hits judge expiry by its `coarseNow()`: on the system clock one reading per
   * event-loop turn (a result may outlive its ttl by the rest of that turn); on a VirtualClock, every time unless
   * it was made with `{ coarseNowPerTurn: true }`.
   *
   * @default a shared `SystemClock` whose timers do not keep the process alive
   */
  clock?: Clock;
  /**
   * Most entries kept; the least recently used completed entry goes first. Running entries are never evicted.
   *
   * @default Infinity
   */
  maxEntries?: number;
  /**
   * Whether results that completed before `signal` aborted are still served afterwards: with `true`, an aborted
   * request's handler can still read what it had. `false` drops them at the abort, so that every later call, cached
   * or not, is refused with the signal's reason — what the app-wide memo (`app.appTasks`) does once the app stops.
   *
   * @default true
   */
  keepResultsOnAbort?: boolean;
}

/** Options of {@link TaskScope.all} and {@link TaskScope.allSettled}. */
export interface TaskGroupOptions {
  /**
   * This caller's signal: aborting it rejects the group's wait with its reason, leaving the runs to others.
   *
   * @default none: the group waits until its tasks settle (or the first fails, for `all()`)
   */
  signal?: AbortSignal;
}

/** The output type of a bound task. */
export type BoundOutput<B> = B extends BoundTask<infer O> ? O : never;

/** The tuple of outputs `all()` resolves to, one per bound task, in order. */
export type TaskOutputs<T extends readonly BoundTask<unknown>[]> = { -readonly [K in keyof T]: BoundOutput<T[K]> };

/** The tuple of outcomes `allSettled()` resolves to, one per bound task, in order. */
export type TaskOutcomes<T extends readonly BoundTask<unknown>[]> = {
  -readonly [K in keyof T]: PromiseSettledResult<BoundOutput<T[K]>>;
};

/** The clock of scopes given none. Its timers never hold the process open: a cache is no reason to stay up. */
let systemClock: Clock | undefined;

/**
 * The memo context of tasks (Vorma's `Ctx`): each task runs at most once per scope and input, and every caller
 * in the scope — including other tasks, anywhere in the call graph — shares that run. Typically one per request;
 * a long-lived one with a `ttl` and `maxEntries` shields a slow upstream from a thundering herd.
 *
 * Creating one is cheap (a couple of objects, no container). A task body receives a view of its scope: the same
 * cache, with `signal` being that run's own signal.
 *
 * @example
 * const scope = new TaskScope({ signal: request.signal });
 * const [user, posts] = await scope.all([getUser.bind(id), getPosts.bind(id)]);
 */
export class TaskScope {
  /** @internal */
  readonly [storeOf]: ScopeStore;
  /** @internal */
  readonly [callerOf]: Run | undefined;

  /**
   * @param options the scope's signal, ttl, clock and bound; see {@link TaskScopeOptions}.
   * @throws TaskOptionError for an invalid `ttl` or a `maxEntries` that is not a whole number of at least 1.
   */
  constructor(options: TaskScopeOptions = {}) {
    const maxEntries = options.maxEntries ?? Infinity;
    if (maxEntries !== Infinity && (!Number.isInteger(maxEntries) || maxEntries < 1)) {
      throw new TaskOptionError(`TaskScope maxEntries must be a whole number of at least 1, got ${String(maxEntries)}`);
    }
    const ttl = options.ttl === undefined ? undefined : parseTtlOption(options.ttl, 'a TaskScope');
    const clock = options.clock ?? (systemClock ??= new SystemClock({ keepAlive: false }));
    this[storeOf] = new ScopeStore(clock, ttl, maxEntries, options.signal, options.keepResultsOnAbort ?? true);
    this[callerOf] = undefined;
  }

  /**
   * What tasks use for cancellation. On a scope you made, the signal you gave it (or one that never aborts); on
   * the view a task body receives, that run's own signal, which aborts when the scope aborts or when every
   * caller of the run has left.
   */
  get signal(): AbortSignal {
    const caller = this[callerOf];
    return caller === undefined ? this[storeOf].scopeSignal() : caller.signal;
  }

  /** Entries in the cache, running and completed. */
  get size(): number {
    return this[storeOf].size;
  }

  /** Counters of the cache: entries, running, sweeps, evictions. */
  get stats(): TaskScopeStats {
    return this[storeOf].stats();
  }

  /**
   * Runs bound tasks concurrently and resolves to their outputs in order, typed as a tuple. Fails fast: the first
   * failure rejects, and this call stops waiting for the others — a run no one else waits for is aborted (its
   * signal aborts with that failure) and dropped from the cache, never cached as aborted; a run others share
   * goes on for them.
   *
   * @example
   * const [user, posts] = await scope.all([getUser.bind('1'), getPosts.bind('1')]);
   */
  all<const T extends readonly BoundTask<unknown>[]>(tasks: T, options?: TaskGroupOptions): Promise<TaskOutputs<T>> {
    return runGroup(this, tasks, options?.signal) as Promise<TaskOutputs<T>>;
  }

  /**
   * Runs bound tasks concurrently and resolves, once all have settled, to each one's outcome
   * (`{ status: 'fulfilled', value }` or `{ status: 'rejected', reason }`), typed as a tuple. Rejects only if
   * `options.signal` aborts first.
   */
  allSettled<const T extends readonly BoundTask<unknown>[]>(
    tasks: T,
    options?: TaskGroupOptions,
  ): Promise<TaskOutcomes<T>> {
    return settleGroup(this, tasks, options?.signal) as Promise<TaskOutcomes<T>>;
  }
}

/** The scope handed to one run's body: the same store, with the run as the caller of whatever it calls. */
export function scopeViewFor(store: ScopeStore, caller: Run): TaskScope {
  const view = Object.create(TaskScope.prototype) as { [storeOf]: ScopeStore; [callerOf]: Run | undefined };
  view[storeOf] = store;
  view[callerOf] = caller;
  return view as unknown as TaskScope;
}

/**
 * What a call made with `scope` in hand waits with when it joins a run elsewhere (an app-wide `@Task` called from
 * a request): on a view, the calling run's signal, which aborts when that run is aborted or abandoned; on a scope
 * you made, the signal it was given, or its own if it can be aborted without one (an HTTP adapter's). Never
 * allocates a signal for a scope that can never abort.
 */
export function waitSignalOf(scope: TaskScope): AbortSignal | undefined {
  const caller = scope[callerOf];
  return caller === undefined ? scope[storeOf].waitSignal() : caller.signal;
}
