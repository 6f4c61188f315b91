import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app/index.js';
import type { RequestScope } from '../tasks/index.js';
import { checkApp, runInRequestScope, type HttpScopeOptions } from './request-scope.js';

/** A node:http request handler that also gets the request's scope (its `signal` aborts if the client goes away). */
export type ScopedRequestHandler<Req extends IncomingMessage, Res extends ServerResponse, R> = (
  request: Req,
  response: Res,
  scope: RequestScope,
) => R;

/**
 * Gives a node:http `(request, response)` handler one request scope per request: `@Task` methods it calls share
 * their results within the request, their signal aborts when the client goes away before the response finished
 * (`ORDO_CLIENT_DISCONNECTED`), and `Background.after()` work starts once the response finished.
 *
 * @example
 * ```ts
 * createServer(withOrdoScope(app, async (req, res, scope) => res.end(JSON.stringify(await users.get(id)))));
 * ```
 * @throws ConfigurationError (`ORDO_INVALID_OPTION`) when `app` is not an Ordo App.
 */
export function withOrdoScope<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
  R = unknown,
>(
  app: App,
  handler: ScopedRequestHandler<Req, Res, R>,
  options?: HttpScopeOptions,
): (request: Req, response: Res) => R {
  checkApp(app, 'withOrdoScope() app');
  return (request, response) =>
    runInRequestScope(app, request, response, (scope) => handler(request, response, scope), options);
}
