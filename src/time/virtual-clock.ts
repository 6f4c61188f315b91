import { messageOf } from '../errors/index.js';
import { Clock, type TickerOptions, type Ticker, type TimerHandle } from './clock.js';
import { parseDelay } from './delay.js';
import { type Duration, formatDuration, parseDuration } from './duration.js';
import { positiveInterval } from './interval-option.js';
import { pumpSteps } from './step-pump.js';
import { SystemClock } from './system-clock.js';
import { isThenable } from './thenable.js';
import { createTicker } from './ticker.js';
import { type HeapEntry, TimerHeap } from './timer-heap.js';
import { TurnReading } from './turn-reading.js';
import { VirtualClockError } from './virtual-clock-error.js';

/** Where a {@link VirtualClock} starts unless told otherwise: 2026-01-01T00:00:00Z, fixed so tests are repeatable. */
export const VIRTUAL_CLOCK_EPOCH = Date.UTC(2026, 0, 1);

/**
 * How many timers armed during one `advance` may fire at one instant before it decides that a zero-delay timer
 * is re-arming itself. Timers armed before the advance do not count, however many are due at that instant.
 */
const VIRTUAL_INSTANT_FIRE_LIMIT = 100_000;

/** The latest time a `Date` can hold, either side of the epoch: a virtual time beyond it is not a time. */
const MAX_DATE_MS = 8.64e15;

/** Real time, for `waitForTimers` timeouts: virtual time does not move while a test waits. Kept alive on purpose. */
const realTime = new SystemClock({ keepAlive: true });

/** Options of {@link VirtualClock.runAll}. */
export interface RunAllOptions {
  /**
   * The most timers armed during the call (re-armed tickers and intervals, follow-ups that callbacks arm) to
   * fire before giving up with `ORDO_VIRTUAL_CLOCK_LOOP`; timers armed before the call do not count.
   *
   * @default 10_000
   */
  limit?: number;
}

/** Options of {@link VirtualClock.waitForTimers}. */
export interface WaitForTimersOptions {
  /**
   * How long to wait, in real time (virtual time is not moving).
   *
   * @default '1s'
   */
  timeout?: Duration;
}

/** What the clock's timers need from it; kept off the public class. */
interface TimerQueue {
  arm(timer: VirtualTimer, ms: number): void;
  disarm(timer: VirtualTimer): void;
}

class VirtualTimer implements TimerHandle, HeapEntry {
  due = 0;
  seq = 0;
  heapIndex = -1;

  readonly #queue: TimerQueue;

  constructor(
    queue: TimerQueue,
    readonly fn: () => void,
  ) {
    this.#queue = queue;
  }

  cancel(): void {
    this.#queue.disarm(this);
  }

  reset(d: Duration): void {
    const ms = parseDelay(d);
    this.#queue.disarm(this);
    this.#queue.arm(this, ms);
  }
}

/** Options of {@link VirtualClock}. */
export interface VirtualClockOptions {
  /**
   * Whether {@link Clock.coarseNow} shares one reading until the clock next fires its timers, as
   * {@link SystemClock} does for an event-loop turn: the first call arms a zero-delay timer (counted by
   * `pendingTimers()`) whose firing, on the next advance, forgets the reading. When `false`, every call reads
   * `now()`. Turn it on to run code on the path it takes on the system clock: one reading, and one zero-delay
   * timer, per turn. The shared reading never lags `now()` here, since virtual time moves only by firing timers in
   * order and the zero-delay timer, due at the reading, fires first.
   *
   * @default false
   *
   * @example
   * ```ts
   * const clock = new VirtualClock(VIRTUAL_CLOCK_EPOCH, { coarseNowPerTurn: true });
   * ```
   */
  coarseNowPerTurn?: boolean;
  /**
   * The clock's {@link Clock.wallRecheckInterval}, for a test of code that re-arms on a system clock's interval
   * (e.g. `'60s'`, as {@link SystemClock} has). Virtual timers keep pace with `now()`, so the default is none.
   *
   * @default undefined
   */
  wallRecheckInterval?: Duration;
}

/**
 * Deterministic time for tests: nothing happens until the test moves time, and no global is patched.
 *
 * - `now()` starts at `start` ({@link VIRTUAL_CLOCK_EPOCH} by default) and changes only when time is advanced.
 *   Inside a timer callback it is that timer's due time.
 * - Time is whole milliseconds, as on every Ordo clock: a fractional start or `advanceTo` target is rounded to
 *   the nearest millisecond, as {@link parseDuration} rounds the durations of `advance`, `setTimer`, `sleep` and
 *   `ticker`. A time must lie within the range of `Date` (±8.64e15 ms).
 * - Timers fire in order of due time, then arming order. A zero or negative delay means "now": such a timer
 *   fires on the next advance, including `advance(0)`.
 * - {@link advance} fires every timer due in `[now, now + d]`, each at its own due time, and after each one lets
 *   the work it started run until that work waits on something else — a later timer, I/O — but never waits for
 *   the work to finish: work that sleeps on this clock would otherwise deadlock the advance. Timers that work
 *   arms inside the window fire in the same advance. Precisely, before looking for the next due timer (and
 *   before the first look, so work started just before the call can arm its timers): every microtask and
 *   `process.nextTick` queued so far has run, however long the chain of awaits; then, while other setImmediate
 *   callbacks are queued, it waits for them a whole event-loop turn at a time, up to 16 turns. It does not wait
 *   for I/O or real timers.
 * - Calls that move time (`advance`, `advanceTo`, `jump`, `runNext`, `runAll`) run one at a time: a second call waits
 *   for the first to finish, then starts from where it left time.
 * - Its tickers buffer: a slow consumer still sees every tick, in order, each with its own time.
 * - Its {@link Clock.coarseNow} is `now()`, unless made with `{ coarseNowPerTurn: true }`
 *   (see {@link VirtualClockOptions}).
 * - A callback that throws does not stop the advance; the call rejects afterwards with `ORDO_VIRTUAL_TIMER_FAILED`
 *   and the first error as its cause. An async callback whose promise rejects before the call ends counts the
 *   same; one rejecting later is an unhandled rejection, as with real timers.
 *
 * @example
 * const clock = new VirtualClock();
 * const fired: number[] = [];
 * clock.setTimer('5s', () => fired.push(clock.now()));
 * await clock.advance('7s'); // fired: [start + 5_000]; clock.now() === start + 7_000
 */
export class VirtualClock extends Clock {
  #current: number;
  #seq = 0;
  readonly #heap = new TimerHeap<VirtualTimer>();
  readonly #timerWaiters = new Set<{ count: number; wake: () => void }>();
  /** The tail of the queue of time-moving calls, which run one at a time. */
  #tail: Promise<unknown> = Promise.resolve();
  /** The shared reading of {@link coarseNow}, only when asked for one per turn. */
  readonly #turn: TurnReading | undefined;
  readonly #wallRecheckInterval: number | undefined;

  readonly #queue: TimerQueue = {
    arm: (timer, ms) => {
      timer.due = this.#current + ms;
      timer.seq = this.#seq++;
      this.#heap.push(timer);
      if (this.#timerWaiters.size > 0) this.#wakeTimerWaiters();
    },
    disarm: (timer) => {
      this.#heap.remove(timer);
    },
  };

  /**
   * @param start the initial time, rounded to the nearest millisecond; defaults to {@link VIRTUAL_CLOCK_EPOCH}
   * (2026-01-01T00:00:00Z).
   * @param options whether {@link coarseNow} shares one reading per turn, as on the system clock.
   * @throws VirtualClockError (`ORDO_INVALID_TIME`) for an invalid date, or a number that is not finite or lies
   * beyond the range of `Date`.
   */
  constructor(start: Date | number = VIRTUAL_CLOCK_EPOCH, options: VirtualClockOptions = {}) {
    super();
    this.#current = toTime(start, 'VirtualClock start');
    this.#turn = options.coarseNowPerTurn === true ? new TurnReading(this) : undefined;
    this.#wallRecheckInterval = positiveInterval('VirtualClock', options.wallRecheckInterval, undefined);
  }

  override get wallRecheckInterval(): number | undefined {
    return this.#wallRecheckInterval;
  }

  /** `now()`, or one reading until the next advance fires timers when made with `{ coarseNowPerTurn: true }`. */
  override coarseNow(): number {
    return this.#turn === undefined ? this.#current : this.#turn.read();
  }

  override now(): number {
    return this.#current;
  }

  override setTimer(d: Duration, fn: () => void): TimerHandle {
    const timer = new VirtualTimer(this.#queue, fn);
    this.#queue.arm(timer, parseDelay(d));
    return timer;
  }

  /** Like {@link Clock.ticker}, but ticks are buffered: a slow consumer sees every tick, in order. */
  override ticker(period: Duration, opts?: TickerOptions): Ticker {
    return createTicker(this, period, 'buffer', opts?.signal);
  }

  /** How many timers are armed (sleeps, tickers and `setTimer`s not yet fired or cancelled). */
  pendingTimers(): number {
    return this.#heap.size;
  }

  /**
   * Moves time forward by `d`, firing every timer due up to and including the new time, in order, each at its own
   * due time, and letting the work each one starts proceed before the next (see the class notes).
   *
   * @example
   * await clock.advance('3h'); // an hourly ticker's consumer has handled the ticks at +1h, +2h and +3h
   */
  advance(d: Duration): Promise<void> {
    let ms: number;
    try {
      ms = parseDuration(d);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive(() => this.#runUntil(this.#current + ms, `advance(${describe(d)})`));
  }

  /**
   * Moves time forward to `t` (rounded to the nearest millisecond), as {@link advance} does; rejects with
   * `ORDO_VIRTUAL_CLOCK_BACKWARDS` if that is before now, and with `ORDO_INVALID_TIME` if `t` is not a valid time.
   */
  advanceTo(t: Date | number): Promise<void> {
    let target: number;
    try {
      target = toTime(t, 'advanceTo target');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive(async () => {
      const operation = `advanceTo(${iso(target)})`;
      if (target < this.#current) {
        throw new VirtualClockError(
          'ORDO_VIRTUAL_CLOCK_BACKWARDS',
          `${operation} is before now (${iso(this.#current)}); virtual time only moves forward`,
        );
      }
      await this.#runUntil(target, operation);
    });
  }

  /**
   * Moves time forward by `d` at once, the way a machine wakes from sleep, then fires every timer that fell due,
   * in due order, each once and late: inside each callback `now()` is the new time. The work each one starts runs
   * as it does under {@link advance}; timers that work arms for the new time fire too. Unlike `advance`, which
   * fires each timer at its own time, a ticker or a periodic job sees one late tick, not one per missed period.
   *
   * @example
   * await clock.jump('2h'); // an hourly ticker's consumer gets one tick, at start + 2h
   */
  jump(d: Duration): Promise<void> {
    let ms: number;
    try {
      ms = parseDuration(d);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive(() => {
      const end = this.#current + ms;
      return this.#runUntil(end, `jump(${describe(d)})`, end);
    });
  }

  /** Fires the next timer, however far away, moving time to its due time. Resolves false if none is armed. */
  runNext(): Promise<boolean> {
    return this.#exclusive(() =>
      watchingCallbacks('runNext()', async (failures) => {
        let fired: boolean | undefined;
        // Step one fires the next timer; step two only lets the work it started run.
        await pumpSteps(() => {
          if (fired !== undefined) return false;
          const next = this.#heap.peek();
          fired = next !== undefined;
          if (next !== undefined) this.#fire(next, failures);
          return fired;
        });
        return fired === true;
      }),
    );
  }

  /**
   * Fires timers, moving time as it goes, until none is armed. Every timer armed before the call fires, however
   * many there are. Anything that re-arms itself (a ticker, an interval, a retry loop) never runs out, so once
   * `limit` timers armed during the call have fired it rejects with `ORDO_VIRTUAL_CLOCK_LOOP` rather than loop
   * forever; use {@link advance} for those.
   */
  runAll(opts: RunAllOptions = {}): Promise<void> {
    const limit = opts.limit ?? 10_000;
    return this.#exclusive(() =>
      watchingCallbacks('runAll()', async (failures) => {
        let armedBefore: number | undefined;
        let firedArmedDuring = 0;
        await pumpSteps(() => {
          // Taken at the first look, so that work started just before the call counts as armed before it.
          armedBefore ??= this.#seq;
          const next = this.#heap.peek();
          if (next === undefined) return false;
          if (next.seq >= armedBefore) {
            if (firedArmedDuring >= limit) {
              const still = this.#heap.size;
              throw new VirtualClockError(
                'ORDO_VIRTUAL_CLOCK_LOOP',
                `runAll() fired ${limit} timers armed while it ran, and ${still} ${still === 1 ? 'is' : 'are'} still armed ` +
                  `(the next due at ${iso(next.due)}): something keeps re-arming itself, such as a ticker or an interval. ` +
                  'Use advance() or advanceTo() to run up to a time, or pass a higher { limit }.',
                failures.first(),
              );
            }
            firedArmedDuring++;
          }
          this.#fire(next, failures);
          return true;
        });
      }),
    );
  }

  /**
   * Resolves once at least `n` timers are armed: the way to wait for code under test to reach its sleep or
   * timer before advancing (an advance made earlier would date that timer from the new time). The timeout is
   * measured in real time, since virtual time is not moving; it rejects with `ORDO_WAIT_FOR_TIMERS_TIMEOUT`.
   *
   * @example
   * const done = service.retryLater();   // arms its timer after a few awaits
   * await clock.waitForTimers(1);
   * await clock.advance('30s');
   */
  waitForTimers(n: number, opts: WaitForTimersOptions = {}): Promise<void> {
    let timeout: number;
    try {
      timeout = parseDuration(opts.timeout ?? '1s');
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#heap.size >= n) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        count: n,
        wake: () => {
          giveUp.cancel();
          resolve();
        },
      };
      const giveUp = realTime.setTimer(timeout, () => {
        this.#timerWaiters.delete(waiter);
        const seen = this.#heap.size;
        reject(
          new VirtualClockError(
            'ORDO_WAIT_FOR_TIMERS_TIMEOUT',
            `waitForTimers(${n}) gave up after ${formatDuration(timeout)} of real time with ${seen} ` +
              `timer${seen === 1 ? '' : 's'} armed, not ${n}: the code under test has not armed the timers expected ` +
              '(is it waiting on something else, or did it fail?)',
          ),
        );
      });
      this.#timerWaiters.add(waiter);
    });
  }

  #wakeTimerWaiters(): void {
    for (const waiter of this.#timerWaiters) {
      if (this.#heap.size >= waiter.count) {
        this.#timerWaiters.delete(waiter);
        waiter.wake();
      }
    }
  }

  /** Runs time-moving calls one after another, each starting where the previous one left time. */
  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(operation);
    this.#tail = run.then(noop, noop);
    return run;
  }

  /** Fires timers due up to `end`; with `lateAt`, time moves there first and every timer fires at it, late. */
  #runUntil(end: number, operation: string, lateAt?: number): Promise<void> {
    return watchingCallbacks(operation, (failures) => this.#fireUntil(end, operation, failures, lateAt));
  }

  async #fireUntil(end: number, operation: string, failures: Failures, lateAt?: number): Promise<void> {
    let armedBefore: number | undefined;
    let instant = this.#current;
    let firedArmedDuringAtInstant = 0;
    // The pump lets work started just before this call arm its timers before the first look for due ones,
    // and lets the work each fire starts run before the next look.
    await pumpSteps(() => {
      // Taken at the first look: timers armed until then are the test's, not a loop's, however many there are.
      if (armedBefore === undefined) {
        armedBefore = this.#seq;
        // A jump moves time at its first look, so that work started just before it arms timers from the old time.
        if (lateAt !== undefined) this.#current = lateAt;
      }
      const next = this.#heap.peek();
      if (next === undefined || next.due > end) return false;
      if (next.due !== instant) {
        instant = next.due;
        firedArmedDuringAtInstant = 0;
      }
      // Only timers armed during the advance count: re-arming with a zero delay is the loop; many timers is not.
      if (next.seq >= armedBefore && ++firedArmedDuringAtInstant > VIRTUAL_INSTANT_FIRE_LIMIT) {
        throw new VirtualClockError(
          'ORDO_VIRTUAL_CLOCK_LOOP',
          `${operation} fired ${VIRTUAL_INSTANT_FIRE_LIMIT} timers at ${iso(instant)} without time moving, each armed ` +
            'during the advance: a timer keeps re-arming itself with a zero delay',
          failures.first(),
        );
      }
      this.#fire(next, failures, lateAt);
      return true;
    });
    this.#current = end;
  }

  #fire(timer: VirtualTimer, failures: Failures, lateAt?: number): void {
    // The timer fired is nearly always the first: popping it costs one sift where removing it may cost two.
    if (this.#heap.peek() === timer) this.#heap.pop();
    else this.#heap.remove(timer);
    this.#current = lateAt ?? timer.due;
    try {
      const result: unknown = (timer.fn as () => unknown)();
      // An async callback's rejection counts as a throw when it comes before the call ends.
      if (isThenable(result)) result.then(undefined, (error: unknown) => failures.add(error, timer.due));
    } catch (error) {
      failures.add(error, timer.due);
    }
  }
}

/**
 * Runs a time-moving call that fires callbacks; rejects afterwards with the first callback error, if any. Errors
 * that come after it ended are not its to report.
 */
async function watchingCallbacks<T>(operation: string, body: (failures: Failures) => Promise<T>): Promise<T> {
  const failures = new Failures(operation);
  let result: T;
  try {
    result = await body(failures);
  } catch (error) {
    failures.close();
    throw error;
  }
  failures.throwIfAny();
  return result;
}

/** Errors thrown by timer callbacks during one time-moving call, reported when it ends. */
class Failures {
  readonly #errors: Array<{ error: unknown; due: number }> = [];
  #closed = false;

  readonly #operation: string;

  constructor(operation: string) {
    this.#operation = operation;
  }

  /** Records a callback's error; one that comes after the call ended is rethrown as an unhandled rejection. */
  add(error: unknown, due: number): void {
    if (this.#closed) void Promise.reject(error);
    else this.#errors.push({ error, due });
  }

  first(): { cause: unknown } | undefined {
    return this.#errors.length > 0 ? { cause: this.#errors[0]!.error } : undefined;
  }

  /** Stops collecting: later errors are rethrown as unhandled rejections. */
  close(): void {
    this.#closed = true;
  }

  /** Closes, then throws `ORDO_VIRTUAL_TIMER_FAILED` with the first error as cause, if there was one. */
  throwIfAny(): void {
    this.close();
    const first = this.#errors[0];
    if (first === undefined) return;
    const more = this.#errors.length > 1 ? ` (${this.#errors.length - 1} more callbacks threw too)` : '';
    throw new VirtualClockError(
      'ORDO_VIRTUAL_TIMER_FAILED',
      `A timer callback due at ${iso(first.due)} threw during ${this.#operation}: ${messageOf(first.error)}${more}`,
      { cause: first.error },
    );
  }
}

/** Reads a time as whole milliseconds, rounding a fractional number as durations are rounded. */
function toTime(t: Date | number, what: string): number {
  const ms = t instanceof Date ? t.getTime() : t;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) {
    throw new VirtualClockError(
      'ORDO_INVALID_TIME',
      `${what} ${String(t)} is not a valid time: expected a valid Date or finite epoch milliseconds within ±${MAX_DATE_MS}`,
    );
  }
  return Math.round(ms) + 0; // -0 becomes 0
}

function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

function describe(d: Duration): string {
  return typeof d === 'string' ? JSON.stringify(d) : String(d);
}

function noop(): void {}
