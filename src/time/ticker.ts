import type { Clock, Ticker, TimerHandle } from './clock.js';
import { type Duration, InvalidDurationError } from './duration.js';
import { parseDelay } from './delay.js';

/**
 * What a ticker does with ticks its consumer has not taken yet:
 * - `coalesce`: keep only the latest (a real clock: a slow consumer must not face a growing backlog);
 * - `buffer`: keep every one, in order (virtual time: a test advancing 3 h on an hourly ticker expects 3 ticks).
 */
export type TickDelivery = 'coalesce' | 'buffer';

/**
 * The one ticker implementation behind every clock: a self-re-arming timer on `clock` plus a small queue
 * between the ticks and the `for await` consumer.
 *
 * Slots are counted on `elapsed`, a clock that never jumps (the system clock passes its monotonic time): a
 * wall clock stepped back an hour by NTP must not stall an hourly ticker for an hour, nor a step forward skip
 * ticks. The tick times handed out are `clock.now()`.
 */
export function createTicker(
  clock: Clock,
  period: Duration,
  delivery: TickDelivery,
  signal?: AbortSignal,
  elapsed: () => number = () => clock.now(),
): Ticker {
  const ms = parseDelay(period);
  if (ms <= 0) throw new InvalidDurationError(period, 'a ticker period must be at least 1 ms');
  return new ClockTicker(clock, ms, delivery, signal, elapsed);
}

class ClockTicker implements Ticker, AsyncIterableIterator<number> {
  /** Ticks that fired while nobody was waiting; at most one with `coalesce`. */
  readonly #unclaimed: number[] = [];
  /** Consumers waiting in `next()`; ticks go to them first. */
  readonly #waiting: Array<(result: IteratorResult<number>) => void> = [];
  readonly #timer: TimerHandle;
  /** The slot the armed timer stands for; slots are `start + k * period`, so ticks do not drift. */
  #slot: number;
  #stopped = false;
  readonly #onAbort = (): void => this.stop();

  readonly #clock: Clock;
  readonly #period: number;
  readonly #delivery: TickDelivery;
  readonly #signal: AbortSignal | undefined;
  readonly #elapsed: () => number;

  constructor(
    clock: Clock,
    period: number,
    delivery: TickDelivery,
    signal: AbortSignal | undefined,
    elapsed: () => number,
  ) {
    this.#clock = clock;
    this.#period = period;
    this.#delivery = delivery;
    this.#signal = signal;
    this.#elapsed = elapsed;
    this.#slot = elapsed() + period;
    this.#timer = clock.setTimer(period, () => this.#tick());
    if (signal?.aborted) this.stop();
    else signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  next(): Promise<IteratorResult<number>> {
    if (this.#stopped) return Promise.resolve({ value: undefined, done: true });
    const at = this.#unclaimed.shift();
    if (at !== undefined) return Promise.resolve({ value: at, done: false });
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  return(): Promise<IteratorResult<number>> {
    this.stop();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<number> {
    return this;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#timer.cancel();
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#unclaimed.length = 0;
    for (const resolve of this.#waiting.splice(0)) resolve({ value: undefined, done: true });
  }

  #tick(): void {
    const at = this.#clock.now();
    const elapsed = this.#elapsed();
    // Re-arm before handing the tick out, so the next slot is armed before anything the consumer arms for it.
    // A timer that fired late (a blocked event loop) skips the slots that have already passed.
    let next = this.#slot + this.#period;
    if (next <= elapsed) next = this.#slot + this.#period * (Math.floor((elapsed - this.#slot) / this.#period) + 1);
    this.#slot = next;
    this.#timer.reset(next - elapsed);

    const consumer = this.#waiting.shift();
    if (consumer) consumer({ value: at, done: false });
    else if (this.#delivery === 'buffer') this.#unclaimed.push(at);
    else this.#unclaimed[0] = at;
  }
}
