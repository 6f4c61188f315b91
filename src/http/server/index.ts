/** The public face of the graceful HTTP server: a component base class that listens, drains and reports. */
export {
  DEFAULT_DRAIN_TIMEOUT,
  GracefulHttpServer,
  type GracefulHttpServerOptions,
  type HttpDrainDetails,
} from './graceful-http-server.js';
export type { HttpTarget, ServerOwner } from './http-target.js';
