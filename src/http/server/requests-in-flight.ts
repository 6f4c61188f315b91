import type { Server, ServerResponse } from 'node:http';

/**
 * The responses a server still owes, so that a drain can count them, tell their clients the connection closes, and
 * close each connection as soon as its last response is written instead of after Node's keep-alive timeout.
 */
export class RequestsInFlight {
  readonly #server: Server;
  readonly #open = new Set<ServerResponse>();
  #draining = false;
  #drained = 0;

  /** Starts tracking `server`'s requests, ahead of its own request listeners. */
  constructor(server: Server) {
    this.#server = server;
    server.prependListener('request', (_request, response: ServerResponse) => this.#track(response));
  }

  /** Responses not yet finished. */
  get size(): number {
    return this.#open.size;
  }

  /** Responses finished since {@link drain} was called. */
  get drained(): number {
    return this.#drained;
  }

  /**
   * From now on, every response says `Connection: close` (unless its headers are already out) and a connection is
   * closed once it has no response left to write. Returns how many responses were in flight.
   */
  drain(): number {
    this.#draining = true;
    for (const response of this.#open) closeAfter(response);
    return this.#open.size;
  }

  /** Destroys every connection, in flight or idle; returns how many unfinished responses that cut off. */
  destroyAll(): number {
    const cut = this.#open.size;
    this.#open.clear();
    this.#server.closeAllConnections();
    return cut;
  }

  #track(response: ServerResponse): void {
    this.#open.add(response);
    // A request that came on a connection kept open while the server drains is answered, and its connection closed.
    if (this.#draining) closeAfter(response);
    response.once('finish', () => {
      if (this.#open.delete(response) && this.#draining) this.#drained++;
    });
    response.once('close', () => {
      this.#open.delete(response);
      if (this.#draining) this.#server.closeIdleConnections();
    });
  }
}

function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('connection', 'close');
}
