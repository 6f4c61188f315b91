import type { RequestEnd } from '../core/internal.js';
import { currentScopeContext } from './request-scope.js';
import { deferToEnd } from './scope-end.js';

/**
 * Request scopes' side of the {@link RequestEnd} seam: defers to the end of the request scope the caller runs in,
 * also from inside a request-scoped `@Task` body (whose context leads back to its request's). An app-wide body runs
 * outside any request, so there, as outside any scope, nothing is deferred.
 */
export const TASK_REQUEST_END: RequestEnd = {
  defer(fn: () => void): boolean {
    const request = currentScopeContext()?.root;
    if (request === undefined) return false;
    deferToEnd(request, fn);
    return true;
  },
};
