import type { AppEvents, Logger, StopDetails } from '../core/index.js';
import { detailsOf } from '../core/internal.js';
import type { Clock } from '../time/index.js';
import { HookTimeoutError } from './errors.js';
import type { RunningComponent } from './running-component.js';
import { runWithDeadline } from './with-deadline.js';

/** What stopping a set of components produced, before it is folded into a StopReport. */
export interface ComponentStopOutcome {
  stopped: string[];
  /** What stopped components reported through `stopDetails()`, by name. */
  details: Record<string, StopDetails>;
  failed: Array<{ name: string; error: unknown }>;
  skipped: string[];
}

/** Shortest time any `@OnStop` is given, however little of the budget is left, as long as some is. */
export const STOP_FLOOR_MS = 500;

/**
 * Stops components wave by wave, last wave first; the components of one wave stop concurrently.
 *
 * Each `@OnStop` gets its own stop timeout, but never more than a fair share of what is left of the budget: the
 * remaining time divided by the remaining waves that have stop hooks (hooks in one wave run side by side, so a
 * wave, not a hook, is what spends the budget), with a floor of {@link STOP_FLOOR_MS} that never exceeds what
 * is left. Once the budget is spent the remaining components are skipped and reported. A failing hook is logged
 * and the others still stop. Outcomes are added to `outcome`, which others stopping meanwhile may share.
 */
export async function stopComponents(
  waves: readonly (readonly RunningComponent[])[],
  deadline: number,
  deps: { clock: Clock; events: AppEvents; logger: Logger },
  outcome: ComponentStopOutcome = emptyOutcome(),
): Promise<ComponentStopOutcome> {
  const { clock, events, logger } = deps;
  const order = [...waves].reverse();
  let wavesWithHooks = order.filter((wave) => wave.some((c) => c.hook('stop'))).length;

  for (const wave of order) {
    const remaining = deadline - clock.now();
    const hasHooks = wave.some((c) => c.hook('stop'));
    if (remaining <= 0 && hasHooks) {
      for (const component of wave) {
        outcome.skipped.push(component.name);
        events.emit('component:skipped', { name: component.name, reason: 'shutdown budget spent' });
        logger.warn({ component: component.name }, 'component not stopped: the shutdown budget was spent');
      }
      continue;
    }
    // The floor keeps a late wave from getting a uselessly thin slice, but never stretches the whole budget.
    const share = hasHooks ? Math.min(remaining, Math.max(STOP_FLOOR_MS, Math.floor(remaining / wavesWithHooks))) : 0;
    if (hasHooks) wavesWithHooks--;
    await Promise.all(wave.map((component) => stopComponent(component, share, outcome, deps)));
  }
  return outcome;
}

/**
 * Runs one component's `@OnStop` within the lesser of its stop timeout and `share`, and records the outcome; a
 * component without one is stopped at once.
 */
export async function stopComponent(
  component: RunningComponent,
  share: number,
  outcome: ComponentStopOutcome,
  { clock, events, logger }: { clock: Clock; events: AppEvents; logger: Logger },
): Promise<void> {
  const began = clock.now();
  events.emit('component:stopping', { name: component.name });
  const hook = component.hook('stop');
  try {
    let details: StopDetails | undefined;
    if (hook) {
      const timeout = Math.min(component.stopTimeout, share);
      const timeoutError = () =>
        new HookTimeoutError(component.name, '@OnStop', timeout, component.describeHook('stop'));
      details = detailsOf(await runWithDeadline(clock, began + timeout, undefined, timeoutError, hook));
    }
    outcome.stopped.push(component.name);
    if (details) outcome.details[component.name] = details;
    const durationMs = clock.now() - began;
    events.emit(
      'component:stopped',
      details ? { name: component.name, durationMs, details } : { name: component.name, durationMs },
    );
    logger.info({ component: component.name, durationMs, ...(details && { details }) }, 'component stopped');
  } catch (error) {
    outcome.failed.push({ name: component.name, error });
    const durationMs = clock.now() - began;
    events.emit('component:failed', { name: component.name, phase: 'stop', error, durationMs });
    logger.error({ component: component.name, durationMs, err: error }, 'component failed to stop');
  }
}

/** An outcome with nothing in it yet. */
export function emptyOutcome(): ComponentStopOutcome {
  return { stopped: [], details: {}, failed: [], skipped: [] };
}
