/**
 * What the rest of Ordo needs from the tasks module and users do not, apart from the public face in index.ts:
 * the composition root runs the app's tasks as a runtime, discovery refuses singletons holding a request's scope, and
 * the HTTP adapters abort a request's scope without an AbortController.
 */
export { AppTasks, TASK_REQUEST_ONLY, type AppTasksSettings } from './app-tasks.js';
export { TASK_REQUEST_END } from './request-end.js';
export { abortableScope } from './request-scope.js';
