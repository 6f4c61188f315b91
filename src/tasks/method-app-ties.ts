import type { TaskScope } from './task-scope.js';
import { TaskOptionError } from './task-errors.js';

// What ties an instance with `@Task` methods to its app: the app-wide scope, and the app's policy for calls outside
// a request scope. Ordo sets both when the container activates the instance; the decorated methods read them.

const appScopes = new WeakMap<object, TaskScope>();

/**
 * Ties an instance to its app's app-wide scope, so its `@Task({ scope: 'app' })` methods memoize there even when
 * called outside any request scope. Ordo does this when the container activates the instance. Internal.
 */
export function attachAppScope(instance: object, scope: TaskScope): void {
  appScopes.set(instance, scope);
}

/** The app-wide scope an instance was tied to, if any. */
export function appScopeOf(instance: unknown): TaskScope | undefined {
  return instance !== null && typeof instance === 'object' ? appScopes.get(instance) : undefined;
}

/** Options of `@Task` methods for one app: `Ordo.create(root, { tasks: { ... } })`. */
export interface AppTaskOptions {
  /**
   * What a `@Task` method of a service the app's container creates does when called outside any request scope
   * (from `@OnStart`, a script, a timer, an app-wide method's body): `'run'` runs it as written, without
   * memoization; `'error'` rejects the call with `TaskMethodError` (`ORDO_TASK_OUTSIDE_SCOPE`) naming
   * `Class.method` and runs nothing — for tests, to find calls that repeat work they meant to share. App-wide
   * methods (`scope: 'app'`) memoize in the app's scope wherever they are called, so this does not concern them.
   *
   * @default 'run'
   *
   * @example
   * ```ts
   * const app = await Ordo.create(AppModule, { tasks: { outsideScope: 'error' } });
   * ```
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
    throw new TaskOptionError(
      `Ordo.create(): tasks.outsideScope must be 'run' or 'error', got ${JSON.stringify(policy)}`,
    );
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

/** Whether an instance was made to refuse calls outside a request scope. */
export function refusesOutsideScope(instance: unknown): boolean {
  return instance !== null && typeof instance === 'object' && refusingOutsideScope.has(instance);
}
