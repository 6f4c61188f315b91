/**
 * The public face of `ordo/http`: request scopes for a node:http server, and the error their signal aborts with
 * when a client goes away, and the graceful HTTP server component. `ordo/express` and `ordo/fastify` (express.ts,
 * fastify.ts) build on the same core.
 */
export { withOrdoScope, type ScopedRequestHandler } from './node-handler.js';
export { ClientDisconnectedError } from './client-disconnected.js';
export type { HttpScopeOptions } from './request-scope.js';
export {
  DEFAULT_DRAIN_TIMEOUT,
  GracefulHttpServer,
  type GracefulHttpServerOptions,
  type HttpDrainDetails,
  type HttpTarget,
  type ServerOwner,
} from './server/index.js';
