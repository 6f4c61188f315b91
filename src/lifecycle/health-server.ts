import { createServer, type Server } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { ConfigurationError } from '../core/index.js';
import { answerProbe, isProbePath } from './health-body.js';
import type { HealthReport } from './health.js';

/** Options of `app.listenHealth()`; a value out of range is refused before anything listens. */
export interface HealthServerOptions {
  /**
   * TCP port to listen on: an integer from 0 to 65535, as a number or a string of decimal digits (so that
   * `process.env.HEALTH_PORT` can be passed as it is). 0 picks a free port.
   * @default 0
   */
  port?: number | string;
  /**
   * Interface to bind: an IP address or a host name. Defaults to loopback so probes are not exposed by accident.
   * @default '127.0.0.1'
   */
  host?: string;
}

const MAX_PORT = 65_535;

/** Labels of a DNS name: letters, digits and inner hyphens, separated by dots. */
const HOST_NAME = /^[a-z\d](?:[a-z\d-]*[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]*[a-z\d])?)*$/i;

/** A running health endpoint. */
export interface HealthServer {
  /** The port it listens on; the one the OS chose when asked for port 0. */
  readonly port: number;
  /** Base address, e.g. `http://127.0.0.1:9000`. */
  readonly url: string;
  /** Stops listening; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Serves `/livez`, `/readyz` and `/healthz` with node:http. Liveness is 200 while the process works; readiness and
 * health are 200 only when the app is ready, else 503 (also while shutting down).
 *
 * @throws ConfigurationError (`ORDO_INVALID_OPTION`) for a `port` or `host` that is not one, before listening.
 */
export async function serveHealth(
  health: () => Promise<HealthReport>,
  options: HealthServerOptions = {},
): Promise<HealthServer> {
  // Checked first: Node reads a port such as 'health' as the path of a UNIX socket to create.
  const port = portOption(options.port);
  const host = hostOption(options.host);
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (!isProbePath(path)) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'error', message: 'not found' }));
      return;
    }
    void answerProbe(health, path).then(({ status, body }) => {
      const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
      response.writeHead(status, headers).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const listening = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port: listening,
    url: `http://${isIP(host) === 6 ? `[${host}]` : host}:${listening}`,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function portOption(port: number | string | undefined): number {
  if (port === undefined) return 0;
  const value = typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : port;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_PORT) {
    throw new ConfigurationError(
      'ORDO_INVALID_OPTION',
      `listenHealth() option port: ${quote(port)} is not a port; expected an integer from 0 to ${MAX_PORT}, as a number ` +
        'or a string of decimal digits (0 picks a free port)',
    );
  }
  return value;
}

function hostOption(host: string | undefined): string {
  if (host === undefined) return '127.0.0.1';
  if (typeof host !== 'string' || (isIP(host) === 0 && !HOST_NAME.test(host))) {
    throw new ConfigurationError(
      'ORDO_INVALID_OPTION',
      `listenHealth() option host: ${quote(host)} is not a host; expected an IP address or a host name such as ` +
        `'127.0.0.1', '::1' or 'localhost' (an empty host would listen on every interface)`,
    );
  }
  return host;
}

function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
