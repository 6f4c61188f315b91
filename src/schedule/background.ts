import type { Duration } from '../time/index.js';

/** A piece of background work: it gets a signal of its own, which aborts at its timeout or when the app stops. */
export type BackgroundFn = (signal: AbortSignal) => Promise<void>;

/** Options of {@link Background.run} and {@link Background.after}. */
export interface BackgroundOptions {
  /**
   * How long the work may run: then its signal aborts with a `BackgroundError` (`ORDO_BACKGROUND_TIMEOUT`) naming
   * it. Counted from when the work starts (for `after()`, when the request scope ended), on the app's Clock.
   * @default '30s'
   * @example { timeout: '5s' }
   */
  timeout?: Duration;
}

/**
 * Follow-up work that should not hold up a response, such as analytics, audit logs or cache priming: best effort,
 * in this process. Inject it (`@inject(Background)`); Ordo binds it at `Ordo.create()`.
 *
 * The work runs detached from the caller's cancellation, with a signal of its own, but in the caller's async context
 * (what it set through AsyncLocalStorage: a request id, logger fields). A failure is logged with the work's name and
 * emitted as `background:failed`; it never becomes an unhandled rejection. At `stop()` the app drains the work in
 * flight, aborts what is left at the drain deadline and reports what ignored its abort; from then on new work is
 * refused (`ORDO_BACKGROUND_REFUSED`). Nothing survives the process: durable work is for `@Job` handlers.
 *
 * @example
 * ```ts
 * background.after('register:analytics', (signal) => analytics.record('user_registered', userId, { signal }));
 * ```
 */
export abstract class Background {
  /**
   * Starts `fn` now and returns at once.
   *
   * @throws BackgroundError (`ORDO_BACKGROUND_REFUSED`) once the app's background work is stopping or stopped.
   * @throws ConfigurationError (`ORDO_INVALID_OPTION`) for a name that is not a non-empty string, an `fn` that is
   *   not a function, or an invalid `timeout`.
   */
  abstract run(name: string, fn: BackgroundFn, options?: BackgroundOptions): void;

  /**
   * Inside a request scope, starts `fn` when the scope ends: the function given to its `run` returned and the
   * promise it returned settled (the handler finished, as Next.js's `after()`). Outside any request scope, the same
   * as {@link Background.run}. Returns at once.
   *
   * @throws BackgroundError (`ORDO_BACKGROUND_REFUSED`) once the app's background work is stopping or stopped.
   * @throws ConfigurationError (`ORDO_INVALID_OPTION`) for invalid arguments, as `run`.
   */
  abstract after(name: string, fn: BackgroundFn, options?: BackgroundOptions): void;

  /**
   * Resolves once no work is in flight: what was running, what started meanwhile, and `after()` work whose scope
   * ended. Work deferred to a scope that has not ended is not waited for (a handler awaiting this would wait on
   * itself). Never rejects: failures are logged. Tests use it.
   */
  abstract settle(): Promise<void>;
}
