import { Clock, type Ticker, type TickerOptions, type TimerHandle } from './clock.js';
import { parseDelay } from './delay.js';
import type { Duration } from './duration.js';
import { positiveInterval } from './interval-option.js';
import { createTicker } from './ticker.js';
import { TurnReading } from './turn-reading.js';

/**
 * The host's time primitives, as {@link SystemClock} uses them. The default is Node's; tests inject a fake to
 * check how the clock drives them without waiting.
 */
export interface HostTimers {
  /** Wall-clock milliseconds since the Unix epoch (`Date.now`). */
  now(): number;
  /** Monotonic milliseconds (`performance.now`), immune to wall-clock jumps; used to re-arm long delays. */
  monotonic(): number;
  /** Arms a one-shot host timer; `ms` never exceeds the clock's `maxTimerDelay`. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Disarms a handle returned by `setTimeout`. */
  clearTimeout(handle: unknown): void;
}

/** Options of {@link SystemClock}. */
export interface SystemClockOptions {
  /**
   * Whether armed timers keep the process alive, as Node's own timers do: an armed timer is pending work (a sleep
   * someone awaits, a hook's deadline, a schedule's next run), and with unref'd timers a boot whose only pending
   * work is a sleep would let Node exit in the middle of `start()`. Ordo cancels every timer it arms once the work
   * ends or the app stops, so a stopped app leaves nothing armed. Pass `false` for timers that never hold the
   * process. Ignored when `host` is given.
   *
   * @default true
   */
  keepAlive?: boolean;
  /**
   * The time primitives to drive, e.g. a fake host in the clock's own tests.
   *
   * @default Node's `Date.now`, `performance.now`, `setTimeout` and `clearTimeout`
   */
  host?: HostTimers;
  /**
   * The longest delay handed to the host in one go; longer delays are re-armed in chunks until their real due
   * time. At most 2^31-1 ms (about 24.8 days): Node fires a timer with a larger delay after 1 ms.
   *
   * @default MAX_HOST_TIMER_DELAY (2^31-1 ms)
   */
  maxTimerDelay?: number;
  /**
   * The clock's {@link Clock.wallRecheckInterval}: how often a caller waiting for a time re-reads the wall clock,
   * bounding how late a sleep of the machine makes it.
   *
   * @default '60s'
   */
  wallRecheckInterval?: Duration;
}

/** How often, by default, code waiting for a wall-clock time on a {@link SystemClock} re-reads it: 60 s. */
export const DEFAULT_WALL_RECHECK_INTERVAL = 60_000;

/** Node's setTimeout accepts at most a signed 32-bit delay and fires anything larger after 1 ms. */
export const MAX_HOST_TIMER_DELAY = 2 ** 31 - 1;

/**
 * Node's timers, unref'd only when asked.
 *
 * This file is the only place in Ordo that touches `Date.now`, `performance.now` and `setTimeout`: everything
 * else goes through a {@link Clock}, so a {@link VirtualClock} controls all of it.
 */
export function nodeHostTimers(keepAlive = true): HostTimers {
  return {
    now: () => Date.now(),
    monotonic: () => performance.now(),
    setTimeout: keepAlive ? (fn, ms) => setTimeout(fn, ms) : (fn, ms) => setTimeout(fn, ms).unref(),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}

/**
 * Real time: `Date.now()` and Node's timers. The default binding of the {@link Clock} token.
 *
 * - Timers keep the process alive as Node's do (see {@link SystemClockOptions.keepAlive}); Ordo cancels its own.
 * - Delays beyond 2^31-1 ms, which Node would fire after 1 ms, are re-armed in chunks until their real due time.
 * - Its {@link Clock.ticker} coalesces missed ticks: a consumer slower than the period gets the latest tick
 *   time, not a backlog. Ticks are spaced on monotonic time, so a wall-clock step (NTP, a manual change)
 *   neither stalls nor bunches them.
 * - Its {@link Clock.coarseNow} reads the host once per event-loop turn, because `Date.now` costs about as much
 *   as a whole cached task hit (docs/internals/performance.md#reading-the-clock-once-per-turn).
 *
 * @example
 * const clock = new SystemClock();
 * const timer = clock.setTimer('30s', () => flush());
 * timer.reset('30s'); // push it back
 */
export class SystemClock extends Clock {
  readonly #host: HostTimers;
  readonly #maxTimerDelay: number;
  readonly #turn = new TurnReading(this);
  readonly #wallRecheckInterval: number;

  /** @param opts whether timers keep the process alive, and the host primitives to drive (tests pass a fake). */
  constructor(opts: SystemClockOptions = {}) {
    super();
    this.#host = opts.host ?? nodeHostTimers(opts.keepAlive ?? true);
    this.#maxTimerDelay = Math.min(
      Math.max(1, Math.floor(opts.maxTimerDelay ?? MAX_HOST_TIMER_DELAY)),
      MAX_HOST_TIMER_DELAY,
    );
    this.#wallRecheckInterval = positiveInterval(
      'SystemClock',
      opts.wallRecheckInterval,
      DEFAULT_WALL_RECHECK_INTERVAL,
    );
  }

  override get wallRecheckInterval(): number {
    return this.#wallRecheckInterval;
  }

  override now(): number {
    return this.#host.now();
  }

  /** One host reading per event-loop turn, forgotten when the loop next runs timers. */
  override coarseNow(): number {
    return this.#turn.read();
  }

  override setTimer(d: Duration, fn: () => void): TimerHandle {
    return new SystemTimer(this.#host, this.#maxTimerDelay, fn, parseDelay(d));
  }

  override ticker(period: Duration, opts?: TickerOptions): Ticker {
    return createTicker(this, period, 'coalesce', opts?.signal, () => this.#host.monotonic());
  }
}

class SystemTimer implements TimerHandle {
  #handle: unknown = undefined;
  /** Monotonic due time, tracked only for delays that need more than one host timer. */
  #due = 0;

  readonly #host: HostTimers;
  readonly #maxDelay: number;
  readonly #fn: () => void;

  constructor(host: HostTimers, maxDelay: number, fn: () => void, ms: number) {
    this.#host = host;
    this.#maxDelay = maxDelay;
    this.#fn = fn;
    this.#arm(ms);
  }

  cancel(): void {
    if (this.#handle === undefined) return;
    this.#host.clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  reset(d: Duration): void {
    const ms = parseDelay(d);
    this.cancel();
    this.#arm(ms);
  }

  #arm(ms: number): void {
    if (ms <= this.#maxDelay) {
      this.#handle = this.#host.setTimeout(this.#fire, ms);
      return;
    }
    this.#due = this.#host.monotonic() + ms;
    this.#handle = this.#host.setTimeout(() => this.#rearm(), this.#maxDelay);
  }

  readonly #fire = (): void => {
    this.#handle = undefined;
    this.#fn();
  };

  /** One chunk of a long delay has passed: arm the next chunk, or the last stretch, from the monotonic due time. */
  #rearm(): void {
    const remaining = Math.max(0, Math.ceil(this.#due - this.#host.monotonic()));
    this.#handle =
      remaining > this.#maxDelay
        ? this.#host.setTimeout(() => this.#rearm(), this.#maxDelay)
        : this.#host.setTimeout(this.#fire, remaining);
  }
}
