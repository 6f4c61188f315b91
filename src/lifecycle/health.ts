import type { Clock } from '../time/index.js';
import { parseDuration } from '../time/index.js';
import { OrdoError, type OrdoErrorCode, messageOf } from '../errors/index.js';
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
  /**
   * The code of the error behind `error` when it is an Ordo error: `ORDO_HEALTH_TIMEOUT` or `ORDO_HEALTH_RESULT`
   * when Ordo counted the check down; absent when the check threw an error of its own.
   */
  readonly code?: OrdoErrorCode;
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

/**
 * Why Ordo counted a `@HealthCheck` down: it did not answer within its timeout (`ORDO_HEALTH_TIMEOUT`) or returned
 * something that is not a health result (`ORDO_HEALTH_RESULT`). Its message and code end up in the check's outcome.
 */
export class HealthCheckError extends OrdoError {
  declare readonly code: 'ORDO_HEALTH_TIMEOUT' | 'ORDO_HEALTH_RESULT';

  constructor(
    code: 'ORDO_HEALTH_TIMEOUT' | 'ORDO_HEALTH_RESULT',
    /** The component whose check it is. */
    readonly check: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** A probe to run: the component's name and a bound `@HealthCheck` method. */
export interface Probe {
  readonly name: string;
  readonly timeout: number;
  readonly check: (signal: AbortSignal) => HealthResult | Promise<HealthResult>;
}

const RANK: Record<HealthStatus, number> = { up: 0, degraded: 1, down: 2 };

/** The statuses a check may return, as a Set: `in` on an object would also accept 'toString' or 'constructor'. */
const STATUSES: ReadonlySet<unknown> = new Set<HealthStatus>(['up', 'degraded', 'down']);

/** How much of a malformed result the error message quotes. */
const SHOWN_RESULT_LENGTH = 200;

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
          began + probe.timeout,
          undefined,
          () =>
            new HealthCheckError(
              'ORDO_HEALTH_TIMEOUT',
              probe.name,
              `health check of "${probe.name}" did not answer within ${probe.timeout} ms`,
            ),
          probe.check,
        );
        return [probe.name, { ...normalise(probe.name, result), durationMs: clock.now() - began }];
      } catch (error) {
        const message = messageOf(error);
        const outcome: CheckOutcome = { status: 'down', error: message, durationMs: clock.now() - began };
        return [probe.name, OrdoError.is(error) ? { ...outcome, code: error.code } : outcome];
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

/**
 * Checks what a probe returned, which is whatever its method returned at run time, not what its type says.
 * `details` of `null` or `undefined` mean none; anything else that is not an object is malformed.
 */
function normalise(name: string, result: unknown): { status: HealthStatus; details?: Record<string, unknown> } {
  const isObject = typeof result === 'object' && result !== null && !Array.isArray(result);
  const status: unknown =
    typeof result === 'string' ? result : isObject ? (result as { status?: unknown }).status : undefined;
  const details: unknown = isObject ? (result as { details?: unknown }).details : undefined;
  let problem: string | undefined;
  if (!STATUSES.has(status))
    problem = `expected 'up', 'degraded', 'down' or { status, details } with one of those statuses`;
  else if (details != null && (typeof details !== 'object' || Array.isArray(details)))
    problem = 'its details must be an object';
  if (problem !== undefined) {
    throw new HealthCheckError(
      'ORDO_HEALTH_RESULT',
      name,
      `health check of "${name}" returned ${showResult(result)}; ${problem}`,
    );
  }
  return details == null
    ? { status: status as HealthStatus }
    : { status: status as HealthStatus, details: details as Record<string, unknown> };
}

/** A malformed result as JSON where it can be, shortened: it goes into a health report. */
function showResult(result: unknown): string {
  let shown: string | undefined;
  try {
    shown = JSON.stringify(result);
  } catch {
    // Circular or a BigInt: fall through to String().
  }
  if (shown === undefined) {
    try {
      shown = typeof result === 'function' ? 'a function' : String(result);
    } catch {
      shown = 'a value that cannot be printed';
    }
  }
  return shown.length > SHOWN_RESULT_LENGTH ? `${shown.slice(0, SHOWN_RESULT_LENGTH)}…` : shown;
}
