import { EventEmitter } from 'node:events';

/** What {@link AppEvents} emits, by event name. Durations are milliseconds on the app's Clock. */
export interface AppEventMap {
  'component:starting': [{ name: string }];
  'component:started': [{ name: string; durationMs: number }];
  'component:failed': [{ name: string; phase: 'start' | 'stop'; error: unknown; durationMs: number }];
  'component:stopping': [{ name: string }];
  'component:stopped': [{ name: string; durationMs: number }];
  'component:skipped': [{ name: string; reason: string }];
  'app:started': [{ durationMs: number }];
  'app:stopping': [{ reason?: unknown }];
  'app:stopped': [{ durationMs: number; ok: boolean }];
}

/**
 * Lifecycle events of one app, for logs, metrics and tests.
 *
 * @example
 * ```ts
 * app.events.on('component:started', ({ name, durationMs }) => metrics.observe(name, durationMs));
 * ```
 */
export class AppEvents extends EventEmitter<AppEventMap> {}
