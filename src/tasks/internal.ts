/**
 * What the rest of Ordo needs from the tasks module and users do not, apart from the public face in index.ts:
 * `Ordo.create()` uses these to tie instances with `@Task` methods to the app: its app-wide scope, and its policy
 * for calls outside a request scope.
 */
export {
  attachAppScope,
  refuseCallsOutsideScope,
  refusesCallsOutsideScope,
  taskMethodsOf,
  type TaskMethod,
} from './task-decorator.js';
