import type { AppEvents, Logger } from '../core/index.js';
import type { Clock } from '../time/index.js';
import { HookTimeoutError } from './errors.js';
import type { RunningComponent } from './running-component.js';
import { AbortGroup, runWithDeadline } from './with-deadline.js';

/** Why a start ended early: which component failed and how, or that the start was aborted. */
export interface StartFailure {
  readonly component?: string;
  readonly error: unknown;
  readonly aborted: boolean;
}

/**
 * Starts components wave by wave; the components of one wave start concurrently, each `@OnStart` within its
 * start timeout. Every component whose start completed is pushed onto `started` (by wave) as soon as it does,
 * so the caller can stop exactly those. The first failure aborts the signals of the hooks still running in its
 * wave and waits for them (each is bounded by its own deadline); no later wave begins.
 */
export async function startComponents(
  waves: readonly (readonly RunningComponent[])[],
  started: RunningComponent[][],
  abort: AbortSignal,
  { clock, events, logger }: { clock: Clock; events: AppEvents; logger: Logger },
): Promise<StartFailure | undefined> {
  // One listener on `abort` for the whole start, forwarding to the wave under way; a group per wave rather than a
  // shared signal, so that the hooks of a wide wave do not each add a listener to one signal.
  let current: AbortGroup | undefined;
  const forward = () => current?.abort(abort.reason);
  abort.addEventListener('abort', forward, { once: true });
  try {
    for (const wave of waves) {
      if (abort.aborted) return { error: abort.reason, aborted: true };
      const waveAbort = new AbortGroup();
      current = waveAbort;
      const startedInWave: RunningComponent[] = [];
      started.push(startedInWave);
      let failure: StartFailure | undefined;

      await Promise.all(
        wave.map(async (component) => {
          const began = clock.now();
          events.emit('component:starting', { name: component.name });
          const hook = component.hook('start');
          try {
            if (hook) {
              await runWithDeadline(
                clock,
                component.startTimeout,
                waveAbort,
                () => new HookTimeoutError(component.name, '@OnStart', component.startTimeout, component.describeHook('start')),
                hook,
                hook.length > 0, // a hook declaring no parameter cannot read a signal (see RunningComponent.hook)
              );
            }
            startedInWave.push(component);
            const durationMs = clock.now() - began;
            events.emit('component:started', { name: component.name, durationMs });
            logger.info({ component: component.name, durationMs }, 'component started');
          } catch (error) {
            const durationMs = clock.now() - began;
            events.emit('component:failed', { name: component.name, phase: 'start', error, durationMs });
            if (!failure) {
              failure = abort.aborted
                ? { error: abort.reason, aborted: true }
                : { component: component.name, error, aborted: false };
              waveAbort.abort(error);
            }
            logger.error({ component: component.name, durationMs, err: error }, 'component failed to start');
          }
        }),
      );
      if (failure) return failure;
    }
  } finally {
    abort.removeEventListener('abort', forward);
  }
  return abort.aborted ? { error: abort.reason, aborted: true } : undefined;
}
