import type { Server, ServerResponse } from 'node:http';

// server.close() closes the connections idle at that moment; a keep-alive connection whose response ends later
// stays open for keepAliveTimeout (5 s, plus a second) before Node lets it go, and holds close() up that long.
// Knowing the responses still owed lets closeServer close each connection as soon as its response is written.
const owed = new WeakMap<Server, Set<ServerResponse>>();

/** Starts `server` listening on `host:port` (port 0: any free one), keeping track of the responses it owes. */
export function serve(server: Server, port: number, host = '127.0.0.1'): Promise<void> {
  const responses = new Set<ServerResponse>();
  owed.set(server, responses);
  server.prependListener('request', (_request, response: ServerResponse) => {
    responses.add(response);
    response.once('close', () => {
      responses.delete(response);
      if (!server.listening) server.closeIdleConnections();
    });
  });
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Stops `server` without cutting answers short, resolving once it is closed: it stops listening and closes idle
 * keep-alive connections at once, lets the requests in flight finish (their responses say `Connection: close`),
 * and destroys whatever is still open when `signal` aborts, such as a request that never answers. Pass the
 * `@OnStop` hook's signal, which aborts at the hook's deadline. A server that was not started with
 * {@link serve} still closes, but its keep-alive connections outlive their last response by Node's
 * `keepAliveTimeout` unless `signal` aborts first.
 */
export function closeServer(server: Server | undefined, signal: AbortSignal): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const destroyTheRest = () => server.closeAllConnections();
    server.close(() => {
      signal.removeEventListener('abort', destroyTheRest);
      resolve();
    });
    server.closeIdleConnections();
    for (const response of owed.get(server) ?? []) {
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
    if (signal.aborted) destroyTheRest();
    else signal.addEventListener('abort', destroyTheRest, { once: true });
  });
}
