/**
 * The public face of the tasks capability: `task()`, `@Task()`, scopes and their errors. What `Ordo.create()` needs
 * beyond this is in internal.ts.
 */
export { task, type BoundTask, type TaskOptions, type TaskRunOptions } from './task.js';
export { Task, type AppTaskOptions, type TaskMethodOptions, type TaskMethodDecorator } from './task-decorator.js';
export { RequestScope, currentTaskScope, type RequestScopeOptions } from './request-scope.js';
export { DEFAULT_APP_TASK_ENTRIES } from './app-tasks.js';
export {
  TaskScope,
  type TaskScopeOptions,
  type TaskGroupOptions,
  type TaskOutputs,
  type TaskOutcomes,
  type BoundOutput,
} from './task-scope.js';
export type { TaskScopeStats } from './memo-store.js';
export type { TaskFn } from './task-spec.js';
export {
  TaskCycleError,
  TaskKeyError,
  TaskMethodError,
  TaskOptionError,
  RequestScopeError,
  type TaskKeyErrorOptions,
  type TaskMethodErrorCode,
} from './task-errors.js';
