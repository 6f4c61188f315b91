import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app/index.js';
import { ConfigurationError } from '../errors/index.js';
import type { RequestScope, RequestScopeOptions } from '../tasks/index.js';
import { abortableScope } from '../tasks/internal.js';
import { ClientDisconnectedError } from './client-disconnected.js';

/**
 * Options of the request scope an HTTP adapter opens per request: those of `app.scope()` but the signal, which the
 * adapter makes (it aborts when the client goes away).
 */
export type HttpScopeOptions = Omit<RequestScopeOptions, 'signal'>;

/**
 * Runs `fn` in a new request scope of `app` for one request: `@Task` methods called from `fn`, and from whatever it
 * starts (the rest of a framework's middleware chain, its callbacks), share their results. The scope's signal aborts
 * with a {@link ClientDisconnectedError} when the connection closes before the response finished, never after a
 * normal finish. The scope ends, for `Background.after()` work, when the response finished or the connection
 * closed, whichever comes first; then both listeners are gone. Returns what `fn` returned; a throw of `fn` is
 * rethrown, and the scope still ends with the response.
 */
export function runInRequestScope<T>(
  app: App,
  request: IncomingMessage,
  response: ServerResponse,
  fn: (scope: RequestScope) => T,
  options: HttpScopeOptions | undefined,
): T {
  const scope = app.scope(options);
  // Not an AbortController per request: most requests never abort, and a signal costs more than the rest of the
  // scope together (docs/internals/performance.md#an-http-request-scope). scope.signal is made when first read.
  const abort = abortableScope(scope);
  const method = request.method ?? 'GET';
  // Read now: Express rewrites request.url inside a mounted router, and keeps what the client sent as originalUrl.
  const url = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '/';
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const finished = () => {
    response.off('close', closed);
    end();
  };
  const closed = () => {
    response.off('finish', finished);
    // 'close' follows 'finish' on a response that was sent; before it, the client went away.
    if (!response.writableFinished) abort(new ClientDisconnectedError(method, url));
    end();
  };
  if (response.writableFinished) end();
  else if (response.destroyed) closed();
  else {
    response.once('finish', finished);
    response.once('close', closed);
  }
  let result: T | undefined;
  let thrown: { error: unknown } | undefined;
  // `ended` never rejects: nothing to handle.
  void scope.run(() => {
    try {
      result = fn(scope);
    } catch (error) {
      thrown = { error };
    }
    // What the scope waits for before it ends: the response, not `fn`.
    return ended;
  });
  if (thrown !== undefined) throw thrown.error;
  return result as T;
}

/**
 * Checks that `app` is an Ordo app (it has `scope()`), so that a missing option fails where it was given.
 *
 * @throws ConfigurationError (`ORDO_INVALID_OPTION`) naming `where`.
 */
export function checkApp(app: unknown, where: string): asserts app is App {
  if (typeof (app as Partial<App> | null | undefined)?.scope !== 'function') {
    throw new ConfigurationError(
      'ORDO_INVALID_OPTION',
      `${where}: expected the Ordo App (from Ordo.create() or @inject(App)), got ${app === null ? 'null' : typeof app}`,
    );
  }
}
