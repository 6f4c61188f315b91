import type { Clock } from '../time/index.js';
import { parseDuration } from '../time/index.js';
import { OrdoError } from '../errors/index.js';
import type { HealthResult, HealthStatus } from '../core/index.js';
import { runWithDeadline } from './with-deadline.js';

// Defined in core, where @HealthCheck is typed by them; this module stays where lifecycle's users find them.
export type { HealthResult, HealthStatus };

/** One check's outcome in a {@link HealthReport}. */
export interface CheckOutcome {
  /** What the check returned; `'down'` when it threw or timed out. */
  readonly status: HealthStatus;
  /** What the check returned beside its status. */
  readonly details?: Record<string, unknown>;
  /** Why the check is down when it threw or timed out. */
  readonly error?: string;
  /** How long it took, on the app's Clock. */
  readonly durationMs: number;
}

/** The app's health: liveness, readiness and every check's outcome. */
export interface HealthReport {
  /** Worst of the checks: down beats degraded beats up. `'down'` also when the app is not running. */
  readonly status: HealthStatus;
  /** The process is working: false only after a failed start. */
  readonly live: boolean;
  /** Started, not stopping, and no check is down. */
  readonly ready: boolean;
  /** Where the app is in its life. */
  readonly state: AppState;
  /** Each `@HealthCheck`'s outcome, by component name; empty when the app is not running. */
  readonly checks: Readonly<Record<string, CheckOutcome>>;
}

/** Where an app is in its life. */
export type AppState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/** A probe to run: the component's name and a bound `@HealthCheck` method. */
export interface Probe {
  readonly name: string;
  readonly timeout: number;
  readonly check: (signal: AbortSignal) => HealthResult | Promise<HealthResult>;
}

const RANK: Record<HealthStatus, number> = { up: 0, degraded: 1, down: 2 };

/** Default deadline of one probe. */
export const DEFAULT_HEALTH_TIMEOUT = parseDuration('5s');

/** Runs every probe concurrently, each within its timeout; a throw, a timeout or a malformed result is down. */
export async function runProbes(clock: Clock, probes: readonly Probe[]): Promise<Record<string, CheckOutcome>> {
  const outcomes = await Promise.all(
    probes.map(async (probe): Promise<[string, CheckOutcome]> => {
      const began = clock.now();
      try {
        const result = await runWithDeadline(
          clock,
          probe.timeout,
          undefined,
          () => new OrdoError('ORDO_HEALTH_TIMEOUT', `health check of "${probe.name}" did not answer within ${probe.timeout} ms`),
          probe.check,
        );
        return [probe.name, { ...normalise(probe.name, result), durationMs: clock.now() - began }];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [probe.name, { status: 'down', error: message, durationMs: clock.now() - began }];
      }
    }),
  );
  return Object.fromEntries(outcomes);
}

/** The worst status among the outcomes, `'up'` when there are none. */
export function worstStatus(outcomes: Iterable<{ status: HealthStatus }>): HealthStatus {
  let worst: HealthStatus = 'up';
  for (const { status } of outcomes) if (RANK[status] > RANK[worst]) worst = status;
  return worst;
}

function normalise(name: string, result: HealthResult): { status: HealthStatus; details?: Record<string, unknown> } {
  const outcome = typeof result === 'string' ? { status: result } : result;
  if (!outcome || !(outcome.status in RANK)) {
    throw new OrdoError(
      'ORDO_HEALTH_RESULT',
      `health check of "${name}" returned ${JSON.stringify(result)}; expected 'up', 'degraded', 'down' or { status, details }`,
    );
  }
  return outcome.details ? { status: outcome.status, details: outcome.details } : { status: outcome.status };
}
