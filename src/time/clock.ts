import type { Duration } from './duration.js';

/** A timer armed with {@link Clock.setTimer}. */
export interface TimerHandle {
  /** Disarms the timer; its callback will not run. Safe to call more than once, and after it fired. */
  cancel(): void;
  /** Re-arms the timer to fire `d` from now, whether it was pending, fired or cancelled. */
  reset(d: Duration): void;
}

/**
 * A periodic source of tick times, consumed with `for await`.
 *
 * @example
 * const ticker = clock.ticker('1h');
 * for await (const at of ticker) await report(at);
 */
export interface Ticker extends AsyncIterable<number> {
  /** Stops ticking: pending and future `next()` calls complete with `done: true`. */
  stop(): void;
}

/**
 * The source of time for everything in Ordo, and its dependency-injection token.
 *
 * Inject it with `@inject(Clock) clock: Clock`; tests swap it with
 * `container.rebind(Clock).toConstantValue(new VirtualClock())`. Nothing in Ordo reads the wall clock or arms a
 * timer except through a Clock.
 */
export abstract class Clock {
  /** Milliseconds since the Unix epoch. */
  abstract now(): number;

  /** The current time as a `Date`. */
  date(): Date {
    return new Date(this.now());
  }

  /**
   * Resolves after `d`; rejects with the signal's reason if `signal` aborts first, leaving no timer armed.
   */
  abstract sleep(d: Duration, signal?: AbortSignal): Promise<void>;

  /** Runs `fn` once after `d`. */
  abstract setTimer(d: Duration, fn: () => void): TimerHandle;

  /** Ticks every `period`, starting one period from now. */
  abstract ticker(period: Duration): Ticker;
}
