import type { InputNaming } from './input-key.js';
import type { TaskScope } from './task-scope.js';

/**
 * The body of a task: receives a view of the scope it runs in (use it to call other tasks and for
 * `scope.signal`) and its input.
 */
export type TaskFn<I, O> = (scope: TaskScope, input: I) => Promise<O>;

/**
 * What the memo needs to know about a task, whatever declared it: a {@link Task} object is its own spec; a method
 * decorator can make one per method with a string identity such as `'UserService.getUser'`.
 */
export interface TaskSpec<I = never> {
  /** Identity in a scope's cache: results are shared by calls with the same identity and input key. */
  readonly id: object | string;
  /** Name used in error messages and cycle paths. */
  readonly name: string;
  /** Custom key of an input, replacing the structural key: a string for users' keys, any primitive inside Ordo. */
  readonly key: ((input: I) => unknown) | undefined;
  /** Milliseconds a completed result is kept; `undefined` defers to the scope's ttl. */
  readonly ttl: number | undefined;
  /** Keep failures like results, instead of letting the next caller run again. */
  readonly cacheErrors: boolean;
  /** How key errors name the input: `'input'` (the default) for `task()`, the arguments for `@Task()` methods. */
  readonly naming?: InputNaming;
}
