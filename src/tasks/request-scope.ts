import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock, Duration } from '../time/index.js';
import { RUNNING, runReturned } from './scope-end.js';
import { storeOf } from './scope-internals.js';
import { TaskScope, waitSignalOf } from './task-scope.js';

/**
 * What the async context carries inside a request scope: the request's task scope and the app-wide one.
 *
 * A class, not an object literal, so V8 never pretenures contexts: see docs/internals/performance.md#request-contexts.
 */
export class ScopeContext {
  /** What an app-wide call made here waits with (see {@link ScopeContext.waitSignal}); `null` until first asked. */
  #wait: AbortSignal | undefined | null;
  /**
   * The context of the request this one belongs to (itself for a request's own), where work deferred to the
   * request's end waits; `undefined` outside any request (an app-wide body). See scope-end.ts.
   */
  root: ScopeContext | undefined;
  /** On a request's own context: what its latest `run` returned, or `RUNNING` while one runs. */
  returned: unknown = undefined;
  /** On a request's own context: what was deferred to its end while a `run` had not returned yet. */
  deferred: Array<() => void> | undefined = undefined;

  /**
   * @param request the request's scope, or the view of it a running `@Task` method body received.
   * @param app the app-wide scope of `@Task({ scope: 'app' })` methods.
   * @param wait `waitSignalOf(request)` when it is known without making anything (a request scope's own signal);
   *   by default it is worked out on first use, since on a view it is the run's signal, made when first asked.
   * @param root the request's own context, for a `@Task` body's context; a request's own context sets itself.
   */
  constructor(
    readonly request: TaskScope | undefined,
    readonly app: TaskScope | undefined,
    wait: AbortSignal | undefined | null = null,
    root: ScopeContext | undefined = undefined,
  ) {
    this.#wait = wait;
    this.root = root;
  }

  /** The signal an app-wide `@Task` called here waits with: {@link waitSignalOf} the request, once per context. */
  waitSignal(): AbortSignal | undefined {
    let wait = this.#wait;
    if (wait === null) wait = this.#wait = this.request === undefined ? undefined : waitSignalOf(this.request);
    return wait;
  }
}

const storage = new AsyncLocalStorage<ScopeContext>();

/** The context of the current async call chain, if it runs inside a request scope or a `@Task` body. */
export function currentScopeContext(): ScopeContext | undefined {
  return storage.getStore();
}

/**
 * The request scope the current call runs in, or `undefined` outside any. Inside a `@Task` method this is the
 * view of the scope its run received, so `currentTaskScope()?.signal` is that run's signal — in an app-wide
 * method's body (which runs outside any request), the app-wide scope as that run sees it.
 */
export function currentTaskScope(): TaskScope | undefined {
  const context = storage.getStore();
  // Only an app-wide body runs with no request; its context's app scope is then the view its run received.
  return context === undefined ? undefined : (context.request ?? context.app);
}

/** Runs `fn` with `context` as the current scope context. */
export function runWithScopeContext<T>(context: ScopeContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** Options of a request scope. */
export interface RequestScopeOptions {
  /** The request's signal: aborting it aborts the scope's runs and makes it refuse new ones. */
  signal?: AbortSignal;
  /** How long a completed result is kept within the request; default: the request's whole life. */
  ttl?: Duration;
  /** Most entries kept (least recently used goes first); default: unbounded. */
  maxEntries?: number;
}

/**
 * One request's memo: a {@link TaskScope} plus the async context that carries it, so `@Task` methods called
 * anywhere below {@link RequestScope.run} share their results. Cheap to make: no inversify container.
 *
 * @example
 * ```ts
 * const scope = app.scope({ signal: request.signal });
 * const page = await scope.run(() => profiles.enrichedUser(userId));
 * ```
 */
export class RequestScope {
  /** The scope's memo, for `task()` functions: `getUser.run(requestScope.tasks, id)`. */
  readonly tasks: TaskScope;
  readonly #context: ScopeContext;

  /** @param options the request's signal, ttl and bound, and what `app.scope()` wires in: the clock and app scope. */
  constructor(
    options: RequestScopeOptions & {
      /** Source of time for ttls; `app.scope()` passes the app's Clock. Default: the system clock. */
      clock?: Clock;
      /** The memo of the `@Task({ scope: 'app' })` methods called in this scope; `app.scope()` passes `app.appTasks`. */
      appScope?: TaskScope;
    } = {},
  ) {
    this.tasks = new TaskScope({
      signal: options.signal,
      ttl: options.ttl,
      clock: options.clock,
      maxEntries: options.maxEntries,
    });
    // With a signal, the scope's wait signal is that one: waitSignalOf(this.tasks), known now. Without, it depends
    // on whether the scope is made abortable (abortableScope), so it is worked out on first use.
    this.#context = new ScopeContext(this.tasks, options.appScope, options.signal ?? null);
    this.#context.root = this.#context;
  }

  /** The signal tasks of this scope see. */
  get signal(): AbortSignal {
    return this.tasks.signal;
  }

  /**
   * Runs `fn` inside this scope: every `@Task` method it calls, however deep, memoizes here. The scope ends, for
   * work deferred to its end (`Background.after()`), when `fn` returned and the promise it returned settled.
   */
  run<T>(fn: () => T): T {
    const context = this.#context;
    context.returned = RUNNING;
    let result: unknown = undefined;
    try {
      result = storage.run(context, fn);
      return result as T;
    } finally {
      runReturned(context, result);
    }
  }
}

/**
 * Lets the returned function abort `scope` as an abort of a signal would (its running tasks abort with the reason,
 * it refuses new runs, `scope.signal` aborts), without paying for an AbortController per scope: for an adapter that
 * learns of the abort from elsewhere (a closed connection) and whose scopes mostly never abort. `scope.signal`, and
 * the signal the scope waits on app-wide runs with, are made only when first asked. Call it on a scope made without
 * a signal (one made with a signal keeps that one as `scope.signal`), before the scope runs anything.
 */
export function abortableScope(scope: RequestScope): (reason: unknown) => void {
  const store = scope.tasks[storeOf];
  store.makeAbortable();
  return (reason) => store.abortScope(reason);
}
