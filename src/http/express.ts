/**
 * `ordo/express`: request scopes and health routes for Express 5 (an optional peer dependency, loaded only by this
 * entry point).
 *
 * @example
 * ```ts
 * server.use(ordoScope(app));
 * server.use(ordoHealth(app));
 * ```
 */
import express, { type RequestHandler, type Router } from 'express';
import type { App } from '../app/index.js';
import { answerProbe, PROBE_PATHS } from '../lifecycle/internal.js';
import type { RequestScope } from '../tasks/index.js';
import { checkApp, runInRequestScope } from './internal.js';
import type { HttpScopeOptions } from './request-scope.js';

export type { HttpScopeOptions } from './request-scope.js';
export { ClientDisconnectedError } from './client-disconnected.js';

declare global {
  // Express's own types are merged through this global namespace.
  namespace Express {
    interface Request {
      /** The request's Ordo scope, set by `ordoScope(app)`; its `signal` aborts if the client goes away. */
      ordo?: RequestScope;
    }
  }
}

/**
 * Middleware that opens one request scope per request for everything after it: `@Task` methods called by later
 * middleware and handlers share their results within the request (`req.ordo` is the scope), their signal aborts
 * when the client goes away before the response finished (`ORDO_CLIENT_DISCONNECTED`), and `Background.after()`
 * work starts once the response finished. Errors pass through untouched to Express's error handling.
 *
 * @throws ConfigurationError (`ORDO_INVALID_OPTION`) when `app` is not an Ordo App.
 */
export function ordoScope(app: App, options?: HttpScopeOptions): RequestHandler {
  checkApp(app, 'ordoScope() app');
  return (request, response, next) => {
    runInRequestScope(
      app,
      request,
      response,
      (scope) => {
        request.ordo = scope;
        next();
      },
      options,
    );
  };
}

/**
 * A Router serving `/livez`, `/readyz` and `/healthz` with the bodies and status codes of `app.listenHealth()`'s
 * server: Terminus-shaped JSON, 200 when live (or ready), else 503 (also while shutting down).
 *
 * @throws ConfigurationError (`ORDO_INVALID_OPTION`) when `app` is not an Ordo App.
 */
export function ordoHealth(app: App): Router {
  checkApp(app, 'ordoHealth() app');
  const router = express.Router();
  const health = () => app.health();
  for (const path of PROBE_PATHS) {
    router.get(path, async (_request, response) => {
      const { status, body } = await answerProbe(health, path);
      response.status(status).set('cache-control', 'no-store').json(body);
    });
  }
  return router;
}
