/** What other parts of the HTTP layer build on and users do not call: the per-request scope and the App check. */
export { runInRequestScope, checkApp } from './request-scope.js';
