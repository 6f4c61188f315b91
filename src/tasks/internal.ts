/**
 * What the rest of Ordo needs from the tasks module and users do not, apart from the public face in index.ts:
 * `Ordo.create()` uses these to tie instances with app-wide `@Task` methods to the app's scope.
 */
export { attachAppScope, taskMethodsOf, type TaskMethod } from './task-decorator.js';
