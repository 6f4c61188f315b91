import type { HealthReport } from './health.js';

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

/** The paths a probe is served on: liveness, readiness, and readiness with every check's details. */
export const PROBE_PATHS = ['/livez', '/readyz', '/healthz'] as const;

/** One of {@link PROBE_PATHS}. */
export type ProbePath = (typeof PROBE_PATHS)[number];

/** What a probe answers: the status code and the JSON body, the same on the health server and on an app's routes. */
export interface ProbeAnswer {
  /** 200 when the body's status is `ok`, else 503. */
  status: 200 | 503;
  /** A Terminus body, or `{ status: 'error', message }` when the report could not be made. */
  body: TerminusBody | { status: 'error'; message: string };
}

/** True when `path` is one of the probe paths (without a query string). */
export function isProbePath(path: string): path is ProbePath {
  return (PROBE_PATHS as readonly string[]).includes(path);
}

/**
 * Answers the probe on `path` from a fresh report: liveness is 200 while the process works; readiness and health
 * are 200 only when the app is ready, else 503 (also while shutting down). Never rejects: a report that failed is a
 * 503 whose message says why.
 */
export function answerProbe(health: () => Promise<HealthReport>, path: ProbePath): Promise<ProbeAnswer> {
  return health().then(
    (report) => {
      const body = path === '/livez' ? livenessBody(report) : terminusBody(report);
      return { status: body.status === 'ok' ? 200 : 503, body };
    },
    (error: unknown) => ({ status: 503, body: { status: 'error', message: String(error) } }),
  );
}

/** Turns a report into a Terminus-shaped body. */
export function terminusBody(report: HealthReport): TerminusBody {
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
export function livenessBody(report: HealthReport): TerminusBody {
  const entry = { app: { status: report.live ? 'up' : 'down', state: report.state } };
  return report.live
    ? { status: 'ok', info: entry, error: {}, details: entry }
    : { status: 'error', info: {}, error: entry, details: entry };
}
