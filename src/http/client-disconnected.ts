import { OrdoError } from '../errors/index.js';

/**
 * The reason a request scope's signal aborts when the client closed the connection before the response finished
 * (`ORDO_CLIENT_DISCONNECTED`), naming the request. Only that request's tasks see it.
 */
export class ClientDisconnectedError extends OrdoError {
  declare readonly code: 'ORDO_CLIENT_DISCONNECTED';

  /** The request's method, e.g. `GET`. */
  readonly method: string;

  /** The request's URL as the client sent it (path and query), e.g. `/users/1?full=1`. */
  readonly url: string;

  constructor(method: string, url: string) {
    super(
      'ORDO_CLIENT_DISCONNECTED',
      `${method} ${url}: the client closed the connection before the response finished`,
    );
    this.method = method;
    this.url = url;
  }
}
