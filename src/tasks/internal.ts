/**
 * What the rest of Ordo needs from the tasks module and users do not, apart from the public face in index.ts:
 * the composition root runs the app's tasks as a runtime, and discovery refuses singletons holding a request's scope.
 */
export { AppTasks, TASK_REQUEST_ONLY, type AppTasksSettings } from './app-tasks.js';
export { TASK_REQUEST_END } from './request-end.js';
