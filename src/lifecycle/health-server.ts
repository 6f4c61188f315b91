import { createServer, type Server } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { ConfigurationError } from '../core/index.js';
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

/** The body of a probe response, in the shape NestJS Terminus uses. */
export interface TerminusBody {
  /** `ok` when ready, `shutting_down` while stopping, else `error`; anything but `ok` is served as 503. */
  status: 'ok' | 'error' | 'shutting_down';
  /** The checks that are up or degraded, by component name. */
  info: Record<string, unknown>;
  /** The checks that are down, by component name. */
  error: Record<string, unknown>;
  /** Every check, by component name. */
  details: Record<string, unknown>;
}

/** Turns a report into a Terminus-shaped body. */
function terminusBody(report: HealthReport): TerminusBody {
  const info: Record<string, unknown> = {};
  const error: Record<string, unknown> = {};
  const details: Record<string, unknown> = {};
  for (const [name, outcome] of Object.entries(report.checks)) {
    // Terminus puts details beside the status; Ordo's own fields are written last so that a detail named
    // `status` or `message` cannot make a check that is up read as down (`status` stays the first key).
    const entry: Record<string, unknown> = { status: outcome.status, ...outcome.details };
    entry.status = outcome.status;
    if (outcome.error !== undefined) entry.message = outcome.error;
    details[name] = entry;
    (outcome.status === 'down' ? error : info)[name] = entry;
  }
  const status =
    report.state === 'stopping' || report.state === 'stopped' ? 'shutting_down' : report.ready ? 'ok' : 'error';
  return { status, info, error, details };
}

/**
 * The body of `/livez`, in the Terminus shape: liveness only, reported as one entry named `app` with the app's
 * state. Health checks are not run: a failing dependency must not get the process restarted.
 */
function livenessBody(report: HealthReport): TerminusBody {
  const entry = { app: { status: report.live ? 'up' : 'down', state: report.state } };
  return report.live
    ? { status: 'ok', info: entry, error: {}, details: entry }
    : { status: 'error', info: {}, error: entry, details: entry };
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
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/livez' && path !== '/readyz' && path !== '/healthz') {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'error', message: 'not found' }));
      return;
    }
    health().then(
      (report) => {
        const body = path === '/livez' ? livenessBody(report) : terminusBody(report);
        const code = body.status === 'ok' ? 200 : 503;
        response
          .writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(JSON.stringify(body));
      },
      (error: unknown) => {
        response
          .writeHead(503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'error', message: String(error) }));
      },
    );
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
