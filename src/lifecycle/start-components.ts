import type { AppEvents, Logger } from '../core/index.js';
import { messageOf } from '../errors/index.js';
import type { Clock } from '../time/index.js';
import { isThenable } from '../time/internal.js';
import { HookTimeoutError } from './errors.js';
import type { RunningComponent } from './running-component.js';
import { AbortGroup, CUT_OFF, runWithDeadline, type Cutoff } from './with-deadline.js';

/** Why a start ended early: which component failed and how, or that the start was aborted. */
export interface StartFailure {
  readonly component?: string;
  readonly error: unknown;
  readonly aborted: boolean;
  /** Components whose `@OnStart` was still running when the shutdown budget ended; they may start later. */
  readonly abandoned?: readonly string[];
}

/** What starting components needs from the app. */
export interface StartDeps {
  readonly clock: Clock;
  readonly events: AppEvents;
  readonly logger: Logger;
  /** The shutdown budget's end: once a stop is under way, waiting for a wave is given up on at its deadline. */
  readonly cutoff: Cutoff;
  /**
   * Called with a component whose `@OnStart` completed after the start stopped waiting for it (it timed out, or
   * the budget ended): it has started after all, and must be stopped.
   */
  readonly onLateStart: (component: RunningComponent) => void;
}

/**
 * Starts components wave by wave; the components of one wave start concurrently, each `@OnStart` within its
 * start timeout. Every component whose start completed is pushed onto `started` (by wave) as soon as it does,
 * so the caller can stop exactly those. The first failure aborts the signals of the hooks still running in its
 * wave and waits for them (each is bounded by its own deadline, and all by the shutdown budget once a stop is
 * under way); no later wave begins. The components whose hook then ends without completing are reported as
 * aborted, with the reason, not as failed.
 */
export async function startComponents(
  waves: readonly (readonly RunningComponent[])[],
  started: RunningComponent[][],
  abort: AbortSignal,
  { clock, events, logger, cutoff, onLateStart }: StartDeps,
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
      /** Set once the wave is no longer waited for: a start completing later is handed to `onLateStart`. */
      let waveOver = false;
      const settled: boolean[] = [];

      // A hook that completes after its timeout opened what it opens all the same: it is stopped then.
      const startedLate = (component: RunningComponent) => {
        if (waveOver) {
          onLateStart(component);
          return;
        }
        startedInWave.push(component);
        logger.warn(
          { component: component.name },
          'component started after its start timed out; it is stopped with the others',
        );
      };

      const waveRun = Promise.all(
        wave.map(async (component, index) => {
          const began = clock.now();
          events.emit('component:starting', { name: component.name });
          const hook = component.hook('start');
          let running: unknown;
          let timedOut: HookTimeoutError | undefined;
          try {
            if (hook) {
              await runWithDeadline(
                clock,
                began + component.startTimeout,
                waveAbort,
                () =>
                  (timedOut = new HookTimeoutError(
                    component.name,
                    '@OnStart',
                    component.startTimeout,
                    component.describeHook('start'),
                  )),
                (signal) => (running = hook(signal)),
              );
            }
            settled[index] = true;
            if (waveOver) {
              onLateStart(component);
              return;
            }
            startedInWave.push(component);
            const durationMs = clock.now() - began;
            events.emit('component:started', { name: component.name, durationMs });
            logger.info({ component: component.name, durationMs }, 'component started');
          } catch (error) {
            settled[index] = true;
            if (error === timedOut && isThenable(running))
              running.then(
                () => startedLate(component),
                () => undefined,
              );
            if (waveOver) return;
            const durationMs = clock.now() - began;
            if (!failure && !abort.aborted) {
              failure = { component: component.name, error, aborted: false };
              waveAbort.abort(error);
              events.emit('component:failed', { name: component.name, phase: 'start', error, durationMs });
              logger.error({ component: component.name, durationMs, err: error }, 'component failed to start');
              return;
            }
            failure ??= { error: abort.reason, aborted: true };
            const reason = failure.aborted
              ? messageOf(abort.reason)
              : `component "${failure.component}" failed to start`;
            events.emit('component:aborted', { name: component.name, reason, durationMs });
            logger.warn({ component: component.name, durationMs, reason }, 'component start aborted');
          }
        }),
      );
      const outcome = await cutoff.race(waveRun);
      waveOver = true;
      if (outcome === CUT_OFF) {
        const abandoned = wave.filter((_, index) => !settled[index]).map((c) => c.name);
        for (const name of abandoned)
          logger.warn({ component: name }, 'component start abandoned: the shutdown budget was spent');
        return { error: abort.reason, aborted: true, abandoned };
      }
      if (failure) return failure;
    }
  } finally {
    abort.removeEventListener('abort', forward);
  }
  return abort.aborted ? { error: abort.reason, aborted: true } : undefined;
}
