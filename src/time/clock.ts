import { parseDelay } from './delay.js';
import type { Duration } from './duration.js';
import { createTicker } from './ticker.js';

/** A timer armed with {@link Clock.setTimer}. */
export interface TimerHandle {
  /** Disarms the timer; its callback will not run. Safe to call more than once, and after it fired. */
  cancel(): void;
  /** Re-arms the timer to fire `d` from now, whether it was pending, fired or cancelled. */
  reset(d: Duration): void;
}

/**
 * A periodic source of tick times, consumed with `for await`. Leaving the loop (`break`, `return`, a throw) stops
 * the ticker.
 *
 * @example
 * const ticker = clock.ticker('1h');
 * for await (const at of ticker) await report(at);
 */
export interface Ticker extends AsyncIterable<number> {
  /** Stops ticking: pending and future `next()` calls complete with `done: true`; unconsumed ticks are dropped. */
  stop(): void;
}

/** Options of {@link Clock.ticker}. */
export interface TickerOptions {
  /**
   * Stops the ticker when it aborts, as {@link Ticker.stop} does.
   *
   * @default none: the ticker runs until {@link Ticker.stop} or the end of a `for await` loop
   *
   * @example
   * ```ts
   * for await (const at of clock.ticker('1m', { signal })) await flush(at);
   * ```
   */
  signal?: AbortSignal;
}

/**
 * The source of time for everything in Ordo, and its dependency-injection token.
 *
 * Inject it with `@inject(Clock) clock: Clock`; tests swap it with
 * `container.rebind(Clock).toConstantValue(new VirtualClock())`. Nothing in Ordo reads the wall clock or arms a
 * timer except through a Clock.
 *
 * A subclass implements {@link now} and {@link setTimer}; {@link sleep}, {@link ticker} and {@link coarseNow} are
 * built on them and may be overridden.
 */
export abstract class Clock {
  /** Milliseconds since the Unix epoch. */
  abstract now(): number;

  /**
   * A reading for code that looks at the time on a hot path, such as a ttl check on every cached hit: never ahead
   * of {@link now}, but it may be reused until the clock next runs its timers (the rest of the current event-loop
   * turn), so it can lag by up to that turn. The default is {@link now} itself, read every time. {@link SystemClock}
   * shares one reading per turn, because `Date.now` costs more than a whole cached hit; a {@link VirtualClock} does
   * so when made with `{ coarseNowPerTurn: true }`, so that a test can exercise those semantics.
   */
  coarseNow(): number {
    return this.now();
  }

  /**
   * The longest one timer should be armed for by a caller that waits for a time on this clock rather than for a
   * duration (a schedule's next run), or `undefined` when a timer's delay always keeps pace with {@link now}. A
   * host's timers do not count the time a machine slept or a VM was paused, so such a caller re-arms at least this
   * often and reads {@link now} each time. {@link SystemClock}: 60 s (its `wallRecheckInterval` option). A
   * {@link VirtualClock}'s time moves only by firing its timers, so it has none unless made with one, so that a test
   * can exercise the re-arming.
   */
  get wallRecheckInterval(): number | undefined {
    return undefined;
  }

  /** The current time as a `Date`. */
  date(): Date {
    return new Date(this.now());
  }

  /**
   * Runs `fn` once after `d`. A negative number of milliseconds counts as 0. Timers armed for the same moment
   * fire in the order they were armed.
   */
  abstract setTimer(d: Duration, fn: () => void): TimerHandle;

  /**
   * Resolves after `d`; rejects with the signal's reason if `signal` aborts first (at once if it already has),
   * leaving no timer armed. An invalid duration rejects with `InvalidDurationError`.
   *
   * @example
   * await clock.sleep('250ms', signal);
   */
  sleep(d: Duration, signal?: AbortSignal): Promise<void> {
    let ms: number;
    try {
      ms = parseDelay(d);
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      // Only called once the timer below is armed: the listener is added after it.
      const onAbort = (): void => {
        timer.cancel();
        reject(signal!.reason);
      };
      const timer = this.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Ticks every `period` (which must be positive), the first tick one period from now; each value is the time of
   * that tick. Slots are counted from the start, so ticks do not drift with the consumer's speed.
   *
   * A consumer slower than the period gets the latest tick time, not a backlog: missed ticks coalesce into one,
   * as with Go's `time.Ticker`. {@link VirtualClock} overrides this to deliver every tick, in order, because a
   * test advancing three hours expects three hourly ticks.
   */
  ticker(period: Duration, opts?: TickerOptions): Ticker {
    return createTicker(this, period, 'coalesce', opts?.signal);
  }
}
