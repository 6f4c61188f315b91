import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject, unmanaged } from 'inversify';
import { ConfigurationError, Logger, OnStart, OnStop, stopDetails, type MarkedStopDetails } from '../../core/index.js';
import { durationOption, markIngress } from '../../core/internal.js';
import { AppStateError } from '../../lifecycle/index.js';
import { Clock, parseDuration, type Duration } from '../../time/index.js';
import { openTarget, type HttpTarget, type ServerOwner } from './http-target.js';
import { RequestsInFlight } from './requests-in-flight.js';

/** Options of a {@link GracefulHttpServer}, passed to `super()`. */
export interface GracefulHttpServerOptions {
  /**
   * TCP port: an integer from 0 to 65535, or a string of decimal digits (`process.env.PORT` as it is). 0 picks a
   * free port; read it from `port` once started.
   * @default 0
   */
  port?: number | string;
  /**
   * Interface to bind, an IP address or a host name.
   * @default every interface, as node:http's `listen()` without a host
   * @example { host: '127.0.0.1' }
   */
  host?: string;
  /**
   * How long requests in flight at the stop get to finish, on the app's Clock, before their connections are
   * destroyed. Keep it below the component's `stopTimeout` (10 s by default): at the stop timeout the hook itself is
   * given up on and the counts are lost. The hook's signal aborting earlier (the shutdown budget running out)
   * destroys them too.
   * @default '9s'
   * @example { drainTimeout: '25s' } // with @Component({ stopTimeout: '30s' })
   */
  drainTimeout?: Duration;
}

/** What a graceful server's stop reports in `StopReport.details` under its component name. */
export interface HttpDrainDetails {
  /** Requests not yet answered when the stop began. */
  readonly inFlight: number;
  /** Requests answered during the drain (including any that came on a connection still open meanwhile). */
  readonly drained: number;
  /** Requests whose connection was destroyed at the drain deadline, unanswered. */
  readonly destroyed: number;
}

/** Default of {@link GracefulHttpServerOptions.drainTimeout}: a second less than the default stop timeout. */
export const DEFAULT_DRAIN_TIMEOUT = parseDuration('9s');

const MAX_PORT = 65_535;

/** Injected under symbols, so that a subclass's own `clock` or `logger` never clashes with them. */
const CLOCK = Symbol('GracefulHttpServer.clock');
const LOGGER = Symbol('GracefulHttpServer.logger');

/**
 * An HTTP server as a component: extend it, mark the subclass `@Component`, and return what to serve from
 * {@link handler}. It listens in its `@OnStart`. It is an ingress component: its `@OnStop` runs as soon as readiness
 * turned false and the app's drain delay passed (requests are served normally until then, while `/readyz` answers
 * 503), before background work drains, so that what its last requests hand to `Background.after()` is drained
 * too, and before the components it uses stop. It stops accepting
 * connections, closes idle keep-alive connections at once, lets the requests in flight finish (their responses say
 * `Connection: close`) until `drainTimeout` on the app's Clock, then destroys what is left, and reports
 * {@link HttpDrainDetails} in the stop report.
 *
 * @example
 * ```ts
 * @Component({ name: 'api', stopTimeout: '15s' })
 * class ApiServer extends GracefulHttpServer {
 *   constructor(@inject(App) private readonly app: App) {
 *     super({ port: process.env.PORT ?? 3000, drainTimeout: '10s' });
 *   }
 *   protected handler() {
 *     const api = express();
 *     api.use(ordoScope(this.app));
 *     api.get('/users/:id', ...);
 *     return api;
 *   }
 * }
 * ```
 */
export abstract class GracefulHttpServer {
  @inject(Clock) readonly [CLOCK]!: Clock;
  @inject(Logger) readonly [LOGGER]!: Logger;
  readonly #port: number;
  readonly #host: string | undefined;
  readonly #drainTimeout: number;
  #server?: Server;
  #owner?: ServerOwner;
  #requests?: RequestsInFlight;

  constructor(@unmanaged() options: GracefulHttpServerOptions = {}) {
    const where = `${new.target.name}'s GracefulHttpServer options`;
    this.#port = portOf(options.port ?? 0, where);
    if (options.host !== undefined && (typeof options.host !== 'string' || options.host === '')) {
      throw new ConfigurationError('ORDO_INVALID_OPTION', `${where}: host must be a non-empty string`);
    }
    this.#host = options.host;
    this.#drainTimeout =
      durationOption(options.drainTimeout, `${where}: drainTimeout`, { zeroAllowed: true }) ?? DEFAULT_DRAIN_TIMEOUT;
  }

  /**
   * What to serve, called once at start: a node `http.Server`, a request listener (an Express 5 `app`), or a Fastify
   * instance (made ready before listening, and closed after its server stopped, which runs its `onClose` hooks).
   */
  protected abstract handler(): HttpTarget | Promise<HttpTarget>;

  /** The node server, once started. */
  get server(): Server | undefined {
    return this.#server;
  }

  /** The port it listens on (the one the OS chose for port 0). */
  get port(): number {
    const address = this.#server?.address() as AddressInfo | null | undefined;
    if (!address) {
      throw new AppStateError('ORDO_INVALID_STATE', `${this.constructor.name}.port was read while it is not listening`);
    }
    return address.port;
  }

  /** Opens what {@link handler} returned and listens; aborted by the start's signal. */
  @OnStart()
  async listen(signal: AbortSignal): Promise<void> {
    const { server, owner } = await openTarget(await this.handler(), `${this.constructor.name}.handler()`);
    this.#server = server;
    this.#owner = owner;
    this.#requests = new RequestsInFlight(server);
    await new Promise<void>((resolve, reject) => {
      // An abort of the start closes the server (listen's own `signal`), and ends the wait for it.
      const aborted = () => reject(signal.reason);
      const settle = () => {
        server.off('error', failed);
        signal.removeEventListener('abort', aborted);
      };
      const failed = (error: Error) => {
        settle();
        reject(error);
      };
      server.once('error', failed);
      signal.addEventListener('abort', aborted, { once: true });
      server.listen({ port: this.#port, host: this.#host, signal }, () => {
        settle();
        resolve();
      });
    });
    this[LOGGER].info({ server: this.constructor.name, port: this.port }, 'http server listening');
  }

  /**
   * Stops accepting, closes idle connections, drains the requests in flight until `drainTimeout` (or the signal),
   * destroys the rest, then closes the owner (Fastify) if any.
   */
  @OnStop()
  async drain(signal: AbortSignal): Promise<MarkedStopDetails> {
    const server = this.#server;
    const requests = this.#requests;
    if (!server || !requests) return stopDetails({ inFlight: 0, drained: 0, destroyed: 0 });
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const inFlight = requests.drain();
    server.closeIdleConnections();
    let destroyed = 0;
    const destroyTheRest = () => {
      destroyed += requests.destroyAll();
    };
    const deadline = this[CLOCK].setTimer(this.#drainTimeout, destroyTheRest);
    if (signal.aborted) destroyTheRest();
    else signal.addEventListener('abort', destroyTheRest, { once: true });
    try {
      await closed;
    } finally {
      deadline.cancel();
      signal.removeEventListener('abort', destroyTheRest);
    }
    await this.#owner?.close();
    const details: HttpDrainDetails = { inFlight, drained: requests.drained, destroyed };
    return stopDetails({ ...details });
  }
}

markIngress(GracefulHttpServer);

function portOf(port: number | string, where: string): number {
  const value = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_PORT) {
    throw new ConfigurationError(
      'ORDO_INVALID_OPTION',
      `${where}: port must be an integer from 0 to ${MAX_PORT}, got ${JSON.stringify(port)}`,
    );
  }
  return value;
}
