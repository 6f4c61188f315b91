import { createServer, type RequestListener, type Server } from 'node:http';
import { ConfigurationError } from '../../core/index.js';
import { describeValue } from '../../core/internal.js';

/**
 * Something that owns a node `http.Server` and has to be made ready before it serves and closed after: a Fastify
 * instance (`fastify()`), whose `close()` runs its `onClose` hooks.
 */
export interface ServerOwner {
  /** The node server it answers requests on. */
  readonly server: Server;
  /** Loads what it needs before serving (Fastify's plugins). */
  ready(): PromiseLike<unknown>;
  /** Releases what it holds once its server has stopped (Fastify's `onClose` hooks). */
  close(): PromiseLike<unknown>;
}

/**
 * What a graceful server serves: a node `http.Server` (or `https.Server`), a request listener such as an Express 5
 * `app`, or a Fastify instance (through its `server`).
 */
export type HttpTarget = Server | RequestListener | ServerOwner;

/** The server to listen on, and the owner to make ready and close, if any. */
export async function openTarget(target: unknown, where: string): Promise<{ server: Server; owner?: ServerOwner }> {
  if (typeof target === 'function') return { server: createServer(target as RequestListener) };
  if (isServer(target)) return { server: target };
  if (typeof target === 'object' && target !== null) {
    const owner = target as Partial<ServerOwner>;
    if (isServer(owner.server) && typeof owner.ready === 'function' && typeof owner.close === 'function') {
      await owner.ready();
      return { server: owner.server, owner: owner as ServerOwner };
    }
  }
  throw new ConfigurationError(
    'ORDO_INVALID_OPTION',
    `${where} returned ${describeValue(target)}; expected a node http.Server, a request listener (an Express app) ` +
      'or a Fastify instance',
  );
}

function isServer(value: unknown): value is Server {
  const server = value as Partial<Server> | null;
  return (
    typeof server === 'object' &&
    server !== null &&
    typeof server.listen === 'function' &&
    typeof server.closeAllConnections === 'function' &&
    typeof server.closeIdleConnections === 'function'
  );
}
