import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthReport } from './health.js';

/** Options of `app.listenHealth()`. */
export interface HealthServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; defaults to loopback so probes are not exposed by accident. */
  host?: string;
}

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
export function terminusBody(report: HealthReport): TerminusBody {
  const info: Record<string, unknown> = {};
  const error: Record<string, unknown> = {};
  const details: Record<string, unknown> = {};
  for (const [name, outcome] of Object.entries(report.checks)) {
    const entry = { status: outcome.status, ...outcome.details, ...(outcome.error ? { message: outcome.error } : {}) };
    details[name] = entry;
    (outcome.status === 'down' ? error : info)[name] = entry;
  }
  const status = report.state === 'stopping' || report.state === 'stopped' ? 'shutting_down' : report.ready ? 'ok' : 'error';
  return { status, info, error, details };
}

/**
 * The body of `/livez`, in the Terminus shape: liveness only, reported as one entry named `app` with the app's
 * state. Health checks are not run: a failing dependency must not get the process restarted.
 */
export function livenessBody(report: HealthReport): TerminusBody {
  const entry = { app: { status: report.live ? 'up' : 'down', state: report.state } };
  return report.live
    ? { status: 'ok', info: entry, error: {}, details: entry }
    : { status: 'error', info: {}, error: entry, details: entry };
}

/**
 * Serves `/livez`, `/readyz` and `/healthz` with node:http. Liveness is 200 while the process works; readiness and
 * health are 200 only when the app is ready, else 503 (also while shutting down).
 */
export async function serveHealth(health: () => Promise<HealthReport>, options: HealthServerOptions = {}): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/livez' && path !== '/readyz' && path !== '/healthz') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', message: 'not found' }));
      return;
    }
    health().then(
      (report) => {
        const body = path === '/livez' ? livenessBody(report) : terminusBody(report);
        const code = body.status === 'ok' ? 200 : 503;
        response.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
      },
      (error: unknown) => {
        response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', message: String(error) }));
      },
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
