/**
 * `ordo/fastify`: request scopes and health routes for Fastify 5 (an optional peer dependency; this entry point
 * needs only its types).
 *
 * @example
 * ```ts
 * await server.register(ordoFastify, { app, health: true });
 * ```
 */
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import type { App } from '../app/index.js';
import { ConfigurationError } from '../errors/index.js';
import { answerProbe, PROBE_PATHS } from '../lifecycle/internal.js';
import type { RequestScope } from '../tasks/index.js';
import { checkApp, runInRequestScope } from './internal.js';
import type { HttpScopeOptions } from './request-scope.js';

export type { HttpScopeOptions } from './request-scope.js';
export { ClientDisconnectedError } from './client-disconnected.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's Ordo scope, set by the `ordoFastify` plugin; its `signal` aborts if the client goes away. */
    ordo?: RequestScope;
  }
}

/** Options of {@link ordoFastify}. */
export interface OrdoFastifyOptions extends HttpScopeOptions {
  /** The Ordo app whose request scopes the requests run in (from `Ordo.create()`, or `@inject(App)`). */
  app: App;
  /**
   * Also serve `/livez`, `/readyz` and `/healthz` with the bodies and status codes of `app.listenHealth()`.
   * @default false
   * @example { app, health: true }
   */
  health?: boolean;
}

function plugin(fastify: FastifyInstance, options: OrdoFastifyOptions, done: (error?: Error) => void): void {
  // Fastify waits for `done`, also after a throw: a bad option must reach it as the registration's error.
  try {
    setUp(fastify, options);
  } catch (error) {
    done(error as Error);
    return;
  }
  done();
}

function setUp(fastify: FastifyInstance, options: OrdoFastifyOptions): void {
  const { app, health = false, ...scopeOptions } = options ?? ({} as Partial<OrdoFastifyOptions>);
  checkApp(app, 'ordoFastify option app');
  if (typeof health !== 'boolean') {
    throw new ConfigurationError(
      'ORDO_INVALID_OPTION',
      `ordoFastify option health: expected true or false, got ${typeof health}`,
    );
  }
  fastify.decorateRequest('ordo', undefined);
  // The rest of the request's hook chain starts from `next`, called inside the scope: Fastify keeps that async
  // context through body parsing (its content-type parser runs the rest in the context it was reached in), so
  // preValidation, preHandler, the handler, onSend and the error handler all run inside it.
  fastify.addHook('onRequest', (request, reply, next) => {
    runInRequestScope(
      app,
      request.raw,
      reply.raw,
      (scope) => {
        request.ordo = scope;
        next();
      },
      scopeOptions,
    );
  });
  if (!health) return;
  const report = () => app.health();
  for (const path of PROBE_PATHS) {
    fastify.get(path, async (_request, reply) => {
      const { status, body } = await answerProbe(report, path);
      return reply.code(status).header('cache-control', 'no-store').send(body);
    });
  }
}

/**
 * A Fastify plugin that runs every request of the context it is registered in (and of that context's children) in
 * one Ordo request scope: `@Task` methods called by hooks and handlers share their results within the request
 * (`request.ordo` is the scope), their signal aborts when the client goes away before the response finished
 * (`ORDO_CLIENT_DISCONNECTED`), and `Background.after()` work starts once the response finished. With
 * `health: true` it also serves the health routes. Encapsulation holds: it is not wrapped in a context of its own
 * (as `fastify-plugin` would do), so it reaches the routes of the context that registers it, never a sibling's or a
 * parent's. `onRequest` hooks added before it in the same context run outside the scope.
 *
 * @throws ConfigurationError (`ORDO_INVALID_OPTION`) at registration when `app` is not an Ordo App or `health` is
 *   not a boolean.
 */
export const ordoFastify: FastifyPluginCallback<OrdoFastifyOptions> = Object.assign(plugin, {
  // What fastify-plugin sets: skip the plugin's own encapsulation context, name it, state the Fastify it needs.
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'ordo',
  [Symbol.for('plugin-meta')]: { name: 'ordo', fastify: '5.x' },
});
