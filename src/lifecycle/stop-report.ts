/** Something a stop stopped waiting for because the shutdown budget ended first; it may still be running. */
export interface AbandonedWork {
  /**
   * What kind of thing it is: a component, a runtime (`'extension'` for one given through the deprecated
   * `extensions` option), or one of the app's services (the Logger).
   */
  readonly kind: 'component' | 'runtime' | 'extension' | 'service';
  /** The component's or runtime's name, or the service's. */
  readonly name: string;
  /** What was still pending: its resolution (a factory), its start, its stop, or a runtime's close. */
  readonly phase: 'resolve' | 'start' | 'stop' | 'close';
}

import type { StopDetails } from '../core/index.js';

/** What `stop()` did. `stop()` resolves with it even when hooks failed: a shutdown always finishes. */
export interface StopReport {
  /** True when every started component stopped cleanly and no work was abandoned. */
  readonly ok: boolean;
  /** What was passed to `stop(reason)`, or the signal name for shutdown hooks. */
  readonly reason: unknown;
  /** Components whose `@OnStop` completed (or that had none), in the order they finished. */
  readonly stopped: readonly string[];
  /**
   * What stopped components reported of their stop, by component name: the figures their `@OnStop` returned through
   * `stopDetails()` (a graceful HTTP server's drained and destroyed requests). Empty when none did.
   */
  readonly details: Readonly<Record<string, StopDetails>>;
  /** Components whose `@OnStop` threw or timed out. */
  readonly failed: ReadonlyArray<{ readonly name: string; readonly error: unknown }>;
  /** Components not stopped because the shutdown budget ran out first. */
  readonly skipped: readonly string[];
  /** Problems reported by runtimes (schedules, background work) while draining or closing, e.g. abandoned runs. */
  readonly problems: ReadonlyArray<{ readonly source: string; readonly error: unknown }>;
  /**
   * What was still pending when the shutdown budget ended and was given up on: a component whose factory or
   * `@OnStart` never settled, a runtime whose start, stop or close never settled. Empty when nothing was.
   */
  readonly abandoned: readonly AbandonedWork[];
  /** Time the stop took on the app's Clock, in milliseconds. */
  readonly durationMs: number;
}
