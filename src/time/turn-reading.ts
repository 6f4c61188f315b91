import type { Clock } from './clock.js';

/**
 * One reading of a clock shared by every {@link Clock.coarseNow} call until the clock next runs its timers: the
 * first call reads the clock and arms a zero-delay timer that forgets the reading. Calls in between (the rest of
 * the current job, its promise callbacks, and I/O callbacks of the same event-loop turn) reuse it.
 */
export class TurnReading {
  /** This turn's reading, or NaN when the next call must read the clock. */
  #reading = NaN;
  readonly #forget = (): void => {
    this.#reading = NaN;
  };

  readonly #clock: Clock;

  /** @param clock the clock to read, and whose zero-delay timer ends the turn. */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The turn's reading of the clock, read now if this is the turn's first call. */
  read(): number {
    const cached = this.#reading;
    if (cached === cached) return cached;
    const now = this.#clock.now();
    this.#reading = now;
    this.#clock.setTimer(0, this.#forget);
    return now;
  }
}
