import type { Duration } from '../time/index.js';
import { currentScopeContext, runWithScopeContext, ScopeContext } from './request-scope.js';
import type { ScopeStore } from './memo-store.js';
import { RUNNING, type RunEntry } from './run-entry.js';
import { joinOrStart, runMemoized } from './run-memoized.js';
import { callerOf, storeOf } from './scope-internals.js';
import type { Task as TaskShape } from './task.js';
import { notAsyncError, outsideScopeError, parseTtlOption, TaskOptionError } from './task-errors.js';
import type { TaskScope } from './task-scope.js';
import type { TaskFn, TaskSpec } from './task-spec.js';

/** Options of the {@link Task} method decorator. */
export interface TaskMethodOptions {
  /**
   * Where results are shared: `'request'` (default) within the current request scope; `'app'` in one app-wide
   * scope, e.g. a config fetch shared by every request for its `ttl`.
   */
  scope?: 'request' | 'app';
  /** How long a completed result is kept, counted from completion. Default: the scope's life (request) or forever (app). */
  ttl?: Duration;
  /** The cache key of the arguments, replacing the structural key. */
  key?: (...args: never[]) => string;
  /** Keep failures like results. Default `false`. */
  cacheErrors?: boolean;
}

/**
 * The decorator `@Task()` returns: it takes only methods that return a promise, so a synchronous method is a type
 * error where it is declared. (A getter's descriptor holds no function and a field has none, so those are type
 * errors too.)
 */
export type TaskMethodDecorator = <M extends (...args: never[]) => Promise<unknown>>(
  prototype: object,
  method: string | symbol,
  descriptor: TypedPropertyDescriptor<M>,
) => void;

/** A `@Task` method as discovery sees it. */
export interface TaskMethod {
  /** The decorated method's property key on the class's prototype. */
  readonly method: string | symbol;
  /** The options the decorator was given, as given. */
  readonly options: TaskMethodOptions;
}

const taskMethods = new WeakMap<object, TaskMethod[]>();

/** The `@Task` methods a class declares, its base classes' included. Internal: for Ordo's binding of app scopes. */
export function taskMethodsOf(type: object): TaskMethod[] {
  const found: TaskMethod[] = [];
  for (let level: object | null = type; level && level !== Function.prototype; level = Object.getPrototypeOf(level)) {
    found.push(...(taskMethods.get(level) ?? []));
  }
  return found;
}

/** A memoized function, made with `task()`. The `@Task()` decorator shares this name. */
export interface Task<I, O> extends TaskShape<I, O> {}

/**
 * Memoizes a method per request scope (or app-wide with `scope: 'app'`): inside `app.scope().run(...)` (or
 * `app.runInScope`), calls with the same arguments share one run across every service and method; calls in
 * another scope do not.
 *
 * **Outside any request scope a request-scoped method runs as written, without memoization**: a warm-up in
 * `@OnStart`, a script or a timer that calls it three times runs it three times. To find such calls, make the app
 * refuse them: `Ordo.create(root, { tasks: { outsideScope: 'error' } })` (for tests, say) makes them reject with
 * `TaskMethodError` `ORDO_TASK_OUTSIDE_SCOPE` naming `Class.method`, without running the body. App-wide methods
 * memoize in the app's scope wherever they are called.
 *
 * Only methods that return a promise can be tasks (the decorator's type refuses others): the result is shared as
 * a promise, and a call always returns one — a synchronous throw rejects, in a scope or outside. A method that
 * returns something else all the same (through a cast, or from plain JavaScript) rejects with `TaskMethodError`
 * `ORDO_TASK_NOT_ASYNC` naming `Class.method`.
 *
 * The arguments are the input: one argument is keyed like a `task()` input, several are keyed together. Results
 * are shared across instances of the class (a task is a function of its arguments, not of `this`). A body that
 * awaits itself with the same arguments, directly or through other tasks, fails with `TaskCycleError`.
 *
 * An app-wide method called inside a request scope waits with the request's signal (or, from a `@Task` body, its
 * run's): an aborted request stops waiting at once, while the run goes on for the other callers, and is aborted
 * when no caller is left. Its body runs outside any request scope; `currentTaskScope()` there is the app-wide
 * scope as its run sees it, with the run's signal. Once the app has stopped, every call of an app-wide method is
 * refused (`ORDO_STOPPED`), cached or not.
 *
 * @throws TaskOptionError (at decoration) on something that is not an instance method (a getter, a field, a static
 *   method), or for an invalid `scope`, `ttl` or `key`, naming `Class.method`.
 *
 * @example
 * ```ts
 * @injectable()
 * class Users {
 *   @Task() async get(id: string) { return this.db.find(id); }
 *   @Task({ scope: 'app', ttl: '5m' }) async config() { return fetchConfig(); }
 * }
 * ```
 */
export function Task(options: TaskMethodOptions = {}): TaskMethodDecorator {
  return (prototype, method, descriptor) => {
    if (typeof prototype === 'function') {
      // A static method: the decorator gets the class itself, which no container creates or ties to an app.
      throw new TaskOptionError(`@Task() on static ${prototype.name}.${String(method)}: @Task() memoizes instance methods`);
    }
    const type = (prototype as { constructor: { name: string } }).constructor;
    const name = `${type.name}.${String(method)}`;
    // No descriptor at all for a field (`@Task() load = async () => ...`), a descriptor without a value for an accessor.
    const original = descriptor?.value as unknown;
    if (typeof original !== 'function') throw new TaskOptionError(`@Task() on ${name}: it is not a method`);
    if (options.scope !== undefined && options.scope !== 'request' && options.scope !== 'app') {
      throw new TaskOptionError(`@Task() on ${name}: scope must be 'request' or 'app', got ${JSON.stringify(options.scope)}`);
    }
    if (options.key !== undefined && typeof options.key !== 'function') {
      throw new TaskOptionError(`@Task() on ${name}: key must be a function of the arguments, got ${typeof options.key}`);
    }
    const ttl = options.ttl === undefined ? undefined : parseTtlOption(options.ttl, `@Task() on ${name}`);
    const customKey = options.key as ((...args: unknown[]) => string) | undefined;
    // One spec for one-argument calls, keyed on the argument itself (the fast path), and one for other arities,
    // keyed on the argument list: f([1, 2]) and f(1, 2) must not share an entry. Without a custom key, calls
    // without arguments get a spec of their own with a constant key, so that `config()` does not pay for a
    // structural key of `[]` on every hit (no other argument list has that key, so nothing else shared it).
    const single: TaskSpec<unknown> = {
      id: {},
      name,
      key: customKey && ((input) => customKey(input)),
      ttl,
      cacheErrors: options.cacheErrors ?? false,
      naming: 'argument',
    };
    const multiple: TaskSpec<unknown[]> = {
      ...single,
      id: {},
      key: customKey && ((args) => customKey(...args)),
      naming: 'arguments',
    };
    const none: TaskSpec<unknown[]> = customKey ? multiple : { ...multiple, id: {}, key: noArguments };
    const appWide = options.scope === 'app';
    const call = original as (...args: unknown[]) => unknown;
    // An app-wide result must not depend on one request, so an app-scoped body runs outside any request scope.
    // A class, not a literal, for the reason given at ScopeContext: a body's context lives as long as its run.
    const contextOf = (view: TaskScope): ScopeContext =>
      appWide ? new ScopeContext(undefined, view) : new ScopeContext(view, currentScopeContext()?.app);
    // A result that is not a promise fails the run (the memo's launch turns the throw into the run's failure), so
    // every caller gets the same TaskMethodError instead of a value it would otherwise get only outside a scope.
    function runOne(this: unknown, view: TaskScope, input: unknown): Promise<unknown> {
      const result = runWithScopeContext(contextOf(view), () => call.call(this, input));
      if (!isThenable(result)) throw notAsyncError(name, result);
      return result as Promise<unknown>;
    }
    function runMany(this: unknown, view: TaskScope, args: unknown[]): Promise<unknown> {
      const result = runWithScopeContext(contextOf(view), () => call.apply(this, args));
      if (!isThenable(result)) throw notAsyncError(name, result);
      return result as Promise<unknown>;
    }
    // Outside any scope the method runs as written, unmemoized, unless its app refuses that; either way a call
    // returns a promise, as inside a scope: a synchronous throw rejects, and a result that is not a promise
    // rejects with the TaskMethodError a run would fail with.
    function runOutsideScope(receiver: unknown, args: unknown[]): Promise<unknown> {
      if (refusesOutsideScope(receiver)) return Promise.reject(outsideScopeError(name));
      let result: unknown;
      try {
        result = call.apply(receiver, args);
      } catch (error) {
        return Promise.reject(error);
      }
      return isThenable(result) ? Promise.resolve(result) : Promise.reject(notAsyncError(name, result));
    }

    // A cached hit without keying — one primitive argument, or none, and no custom key — is looked up here rather
    // than in runMemoized, which first works out how to key the input (custom key, structural key, their errors)
    // for every kind of task; never with an aborted signal, which runMemoized rejects. An app-wide method also
    // keeps each spec's table in the app's store: one map lookup per hit instead of two. A table leaves its store
    // with its last entry, so a miss through a kept table looks the table up again. Only the last one is kept, and
    // only for app-wide methods: keeping a request's table would keep that request's results alive after it ended.
    const singleTable = appWide ? new TableCache() : undefined;
    const noneTable = appWide ? new TableCache() : undefined;
    function lookUp(
      receiver: unknown,
      scope: TaskScope,
      spec: TaskSpec<never>,
      cache: TableCache | undefined,
      key: unknown,
      input: unknown,
      fn: TaskFn<never, unknown>,
      signal: AbortSignal | undefined,
    ): Promise<unknown> {
      let store: ScopeStore;
      let table: Map<unknown, RunEntry> | undefined;
      const kept = cache !== undefined && cache.scope === scope;
      if (kept) {
        store = cache.store!;
        table = cache.table;
      } else {
        store = scope[storeOf];
        table = store.tableOf(spec.id);
        // Not a body's view of the scope: it would keep that run alive, and the next call comes through another.
        if (cache !== undefined && table !== undefined && scope[callerOf] === undefined) cache.keep(scope, store, table);
      }
      let entry = store.findIn(table, key);
      if (entry === undefined && kept) {
        // The kept table may have left the store with its last entry; the task's entries are now in another one.
        cache.forget();
        table = store.tableOf(spec.id);
        if (table !== undefined) {
          cache.keep(scope, store, table);
          entry = store.findIn(table, key);
        }
      }
      if (entry !== undefined && entry.state !== RUNNING) return entry.promise;
      const call = { store, caller: scope[callerOf], spec, key, shaped: false, input: input as never, fn, signal, group: undefined, receiver };
      return joinOrStart(call, entry);
    }

    // `arguments` rather than a rest parameter: no array is made for the calls of one argument or none.
    const memoized = function (this: unknown): unknown {
      const context = currentScopeContext();
      let scope: TaskScope | undefined;
      let signal: AbortSignal | undefined;
      if (appWide) {
        scope = context?.app ?? appScopeOf(this);
        // A request waits on an app-wide run as a caller with its own signal: when the request (or the run that
        // called from it) is aborted, its wait ends, and the run goes on for the others, or stops if none is left.
        if (context !== undefined) signal = context.waitSignal();
      } else {
        scope = context?.request;
      }
      if (scope === undefined) return runOutsideScope(this, arguments as unknown as unknown[]);
      const count = arguments.length;
      const keyable = customKey === undefined && (signal === undefined || !signal.aborted);
      if (count === 1) {
        const input: unknown = arguments[0];
        if (keyable && (typeof input === 'object' ? input === null : typeof input !== 'function' && typeof input !== 'symbol')) {
          return lookUp(this, scope, single as TaskSpec<never>, singleTable, input, input, runOne as TaskFn<never, unknown>, signal);
        }
        return runMemoized(scope, single, input, runOne, signal, undefined, this);
      }
      if (count === 0 && keyable) {
        return lookUp(this, scope, none as TaskSpec<never>, noneTable, NO_ARGUMENTS_KEY, NO_ARGUMENTS, runMany as TaskFn<never, unknown>, signal);
      }
      const args = Array.prototype.slice.call(arguments) as unknown[];
      return runMemoized(scope, count === 0 ? none : multiple, args, runMany, signal, undefined, this);
    };
    Object.defineProperty(memoized, 'name', { value: call.name });
    descriptor.value = memoized as never;
    const list = taskMethods.get(type) ?? [];
    list.push({ method, options });
    taskMethods.set(type, list);
  };
}

/**
 * The key of every call without arguments: there is only one such input, and its table is its own. A small
 * integer, not `''`: V8 looks a small integer up in a Map about three times faster than the empty string
 * (5 ns against 14 in Node 20), and a call without arguments is a key lookup and little else.
 */
const NO_ARGUMENTS_KEY = 0;

function noArguments(): number {
  return NO_ARGUMENTS_KEY;
}

/**
 * A task's table in the store of the last scope it was found through, so that the next hit through that scope
 * (for an app-wide method, nearly always the app's own `appTasks`) neither looks the table up nor reads the store.
 */
class TableCache {
  scope: TaskScope | undefined = undefined;
  store: ScopeStore | undefined = undefined;
  table: Map<unknown, RunEntry> | undefined = undefined;

  keep(scope: TaskScope, store: ScopeStore, table: Map<unknown, RunEntry>): void {
    this.scope = scope;
    this.store = store;
    this.table = table;
  }

  forget(): void {
    this.scope = this.store = this.table = undefined;
  }
}

/** Whether a method's result can be awaited as a promise: a Promise, or another thenable, which is adopted. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** The input of every call without arguments, made once: a body gets it spread, so no one sees it. */
const NO_ARGUMENTS: unknown[] = Object.freeze([]) as unknown as unknown[];

const appScopes = new WeakMap<object, TaskScope>();

/**
 * Ties an instance to its app's app-wide scope, so its `@Task({ scope: 'app' })` methods memoize there even when
 * called outside any request scope. Ordo does this when the container activates the instance. Internal.
 */
export function attachAppScope(instance: object, scope: TaskScope): void {
  appScopes.set(instance, scope);
}

function appScopeOf(instance: unknown): TaskScope | undefined {
  return instance !== null && typeof instance === 'object' ? appScopes.get(instance) : undefined;
}

/** Options of `@Task` methods for one app: `Ordo.create(root, { tasks: { ... } })`. */
export interface AppTaskOptions {
  /**
   * What a `@Task` method of a service the app's container creates does when called outside any request scope
   * (from `@OnStart`, a script, a timer, an app-wide method's body): `'run'` (default) runs it as written, without
   * memoization; `'error'` rejects the call with `TaskMethodError` (`ORDO_TASK_OUTSIDE_SCOPE`) naming
   * `Class.method` and runs nothing — for tests, to find calls that repeat work they meant to share. App-wide
   * methods (`scope: 'app'`) memoize in the app's scope wherever they are called, so this does not concern them.
   */
  outsideScope?: 'run' | 'error';
}

/**
 * Whether the app's `@Task` methods refuse calls outside a request scope.
 *
 * @throws TaskOptionError for an `outsideScope` other than `'run'` or `'error'`, naming the option.
 */
export function refusesCallsOutsideScope(options: AppTaskOptions | undefined): boolean {
  const policy = options?.outsideScope ?? 'run';
  if (policy !== 'run' && policy !== 'error') {
    throw new TaskOptionError(`Ordo.create(): tasks.outsideScope must be 'run' or 'error', got ${JSON.stringify(policy)}`);
  }
  return policy === 'error';
}

const refusingOutsideScope = new WeakSet<object>();

/**
 * Makes an instance's `@Task` methods reject with `ORDO_TASK_OUTSIDE_SCOPE` when called outside any request scope,
 * instead of running unmemoized. Ordo does this when the container activates the instance in an app made with
 * `tasks: { outsideScope: 'error' }`, so the policy is the app's. Internal.
 */
export function refuseCallsOutsideScope(instance: object): void {
  refusingOutsideScope.add(instance);
}

function refusesOutsideScope(instance: unknown): boolean {
  return instance !== null && typeof instance === 'object' && refusingOutsideScope.has(instance);
}
