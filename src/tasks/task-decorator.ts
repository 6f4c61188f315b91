import { currentScopeContext } from './request-scope.js';
import { appScopeOf } from './method-app-ties.js';
import { methodBodies } from './method-bodies.js';
import { MethodLookup } from './method-lookup.js';
import { methodSpecs, NO_ARGUMENTS, NO_ARGUMENTS_KEY, type TaskMethodOptions } from './method-specs.js';
import { runMemoized } from './run-memoized.js';
import type { Task as TaskShape } from './task.js';
import { TaskOptionError } from './task-errors.js';
import type { TaskScope } from './task-scope.js';
import type { TaskFn, TaskSpec } from './task-spec.js';

export type { TaskMethodOptions } from './method-specs.js';
// Ordo's app wiring imports these from here (src/tasks/internal.ts); they live with the app's ties to instances.
export {
  attachAppScope,
  refuseCallsOutsideScope,
  refusesCallsOutsideScope,
  type AppTaskOptions,
} from './method-app-ties.js';

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
      throw new TaskOptionError(
        `@Task() on static ${prototype.name}.${String(method)}: @Task() memoizes instance methods`,
      );
    }
    const type = (prototype as { constructor: { name: string } }).constructor;
    const name = `${type.name}.${String(method)}`;
    // No descriptor at all for a field (`@Task() load = async () => ...`), a descriptor without a value for an accessor.
    const original = descriptor?.value as unknown;
    if (typeof original !== 'function') throw new TaskOptionError(`@Task() on ${name}: it is not a method`);
    const { single, multiple, none, customKey } = methodSpecs(name, options);
    const appWide = options.scope === 'app';
    const call = original as (...args: unknown[]) => unknown;
    const { runOne, runMany, runOutsideScope } = methodBodies(call, name, appWide);
    const singleCalls = new MethodLookup(single as TaskSpec<never>, runOne as TaskFn<never, unknown>, appWide);
    const noneCalls = new MethodLookup(none as TaskSpec<never>, runMany as TaskFn<never, unknown>, appWide);

    // `arguments`, not a rest parameter: no array per call of one argument or none.
    // See docs/internals/performance.md#the-task-method-wrapper.
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
        if (
          keyable &&
          (typeof input === 'object' ? input === null : typeof input !== 'function' && typeof input !== 'symbol')
        ) {
          return singleCalls.call(this, scope, input, input, signal);
        }
        return runMemoized(scope, single, input, runOne, signal, undefined, this);
      }
      if (count === 0 && keyable) return noneCalls.call(this, scope, NO_ARGUMENTS_KEY, NO_ARGUMENTS, signal);
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
