import { EventEmitter } from 'node:events';
import { messageOf } from '../errors/index.js';
import type { StopDetails } from './stop-details.js';

/** What {@link AppEvents} emits, by event name. Durations are milliseconds on the app's Clock. */
export interface AppEventMap {
  /** A component's `@OnStart` is about to run (or it has none and is starting anyway). */
  'component:starting': [{ name: string }];
  /** A component's start completed. */
  'component:started': [{ name: string; durationMs: number }];
  /** A component's `@OnStart` or `@OnStop` threw or timed out. */
  'component:failed': [{ name: string; phase: 'start' | 'stop'; error: unknown; durationMs: number }];
  /**
   * A component's `@OnStart` ended without completing after the start was aborted, by a sibling's failure in its
   * wave or by `stop()`. `reason` says which: `component "X" failed to start`, or the stop's reason (`SIGTERM`).
   */
  'component:aborted': [{ name: string; reason: string; durationMs: number }];
  /** A component's `@OnStop` is about to run. */
  'component:stopping': [{ name: string }];
  /** A component's stop completed; `details` are the figures its `@OnStop` returned through `stopDetails()`, if any. */
  'component:stopped': [{ name: string; durationMs: number; details?: StopDetails }];
  /** A component was not stopped because the shutdown budget was spent. */
  'component:skipped': [{ name: string; reason: string }];
  /**
   * A scheduled run threw or rejected; the schedule goes on. `scheduledAt` is the run's slot (epoch milliseconds),
   * `durationMs` how long it ran.
   */
  'schedule:failed': [{ name: string; error: unknown; scheduledAt: number; durationMs: number }];
  /** Every component and runtime started. */
  'app:started': [{ durationMs: number }];
  /** `stop()` was called. */
  'app:stopping': [{ reason?: unknown }];
  /**
   * The app stopped, or its failed start was rolled back; `ok` is false when the start failed, or when any hook
   * failed, was skipped or was abandoned.
   */
  'app:stopped': [{ durationMs: number; ok: boolean }];
  /**
   * An attempt of a durable job failed: its handler threw, rejected or timed out. `willRetry` is false when it was
   * the job's last attempt, so the job is now dead. A run cut short by a shutdown or a lost lease is not reported.
   */
  'job:failed': [{ name: string; id: string; attempt: number; error: unknown; willRetry: boolean }];
  /** A piece of `Background` work threw or rejected (it is logged too); `durationMs` from its start. */
  'background:failed': [{ name: string; error: unknown; durationMs: number }];
}

/**
 * Lifecycle events of one app, for logs, metrics and tests.
 *
 * @example
 * ```ts
 * app.events.on('component:started', ({ name, durationMs }) => metrics.observe(name, durationMs));
 * ```
 */
export class AppEvents extends EventEmitter<AppEventMap> {
  /**
   * Called with an error a listener threw; the app sets it to log the error. The listeners after it still run and
   * the emitter's caller (a boot, a shutdown) goes on: observing the app must not be able to break it.
   */
  onListenerError: (event: keyof AppEventMap, error: unknown) => void = (event, error) => {
    process.emitWarning(`an app.events listener for "${event}" threw: ${messageOf(error)}`);
  };

  override emit<K extends keyof AppEventMap>(event: K, ...args: AppEventMap[K]): boolean {
    // Most events of a boot have no listener: no copy of an empty list for each.
    if (this.listenerCount(event) === 0) return false;
    const listeners = this.rawListeners(event) as Array<(...args: AppEventMap[K]) => unknown>;
    for (const listener of listeners) {
      try {
        listener.apply(this, args);
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
    return listeners.length > 0;
  }
}
