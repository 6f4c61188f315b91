import type { Clock } from '../time/index.js';

/**
 * How long work in flight at a stop (scheduled runs, background work) gets to finish before its signal aborts: half
 * the time left before the shutdown budget's `deadline`, so that what stops after it still has time.
 */
export function drainWindow(clock: Clock, deadline: number): number {
  return Math.max(0, deadline - clock.now()) * 0.5;
}

/** How long aborted work gets to settle, at most, before it is reported as abandoned: 1 s, within the budget. */
export function abortGrace(clock: Clock, deadline: number): number {
  return Math.min(1_000, Math.max(0, deadline - clock.now()));
}
