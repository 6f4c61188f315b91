export { task, type Task, BoundTask, type TaskOptions, type TaskRunOptions } from './task.js';
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
export { TaskCycleError, TaskKeyError, TaskOptionError } from './task-errors.js';
