import { AsyncLocalStorage } from 'node:async_hooks';
import type { AppEvents, Logger, RuntimeProblem } from '../core/index.js';
import { durationOption, describeValue, type RequestEnd } from '../core/internal.js';
import { ConfigurationError, messageOf } from '../errors/index.js';
import { type Clock, formatDuration, type TimerHandle } from '../time/index.js';
import { Background, type BackgroundFn, type BackgroundOptions } from './background.js';
import { BackgroundError } from './background-errors.js';
import { abortGrace, drainWindow } from './drain-window.js';

/** The default `timeout` of a piece of background work. */
export const DEFAULT_BACKGROUND_TIMEOUT = 30_000;

/** What the pool works with; the runtime hands it over, lazily before the app starts and as resolved after. */
export interface BackgroundServices {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events?: AppEvents;
}

/** A piece of work that is running. */
interface RunningWork {
  readonly name: string;
  readonly controller: AbortController;
  readonly startedAt: number;
  timer?: TimerHandle;
}

/** A piece of `after()` work waiting for its request scope to end. */
interface WaitingWork {
  readonly name: string;
  dropped: boolean;
}

type PoolState = 'open' | 'stopping' | 'stopped';

/**
 * The one implementation of {@link Background}: the work in flight, its timeouts on the Clock, its failures logged
 * and emitted, and the drain the runtime runs at `stop()`.
 */
export class BackgroundPool extends Background {
  readonly #services: () => BackgroundServices;
  readonly #requestEnd: RequestEnd;
  readonly #running = new Set<RunningWork>();
  readonly #waiting = new Set<WaitingWork>();
  /** Called whenever work settles or leaves the waiting list; each checks what it waits for. */
  readonly #watchers = new Set<() => void>();
  #state: PoolState = 'open';

  /**
   * @param services the Clock, Logger and events, asked for when first needed.
   * @param requestEnd how `after()` learns that the caller's request scope ended.
   */
  constructor(services: () => BackgroundServices, requestEnd: RequestEnd) {
    super();
    this.#services = services;
    this.#requestEnd = requestEnd;
  }

  run(name: string, fn: BackgroundFn, options: BackgroundOptions = {}): void {
    const timeoutMs = this.#accept('run', name, fn, options);
    this.#start(name, fn, timeoutMs);
  }

  after(name: string, fn: BackgroundFn, options: BackgroundOptions = {}): void {
    const timeoutMs = this.#accept('after', name, fn, options);
    const waiting: WaitingWork = { name, dropped: false };
    this.#waiting.add(waiting);
    // The scope's end is seen from outside its async context: the work gets back the context after() was called in.
    const inCallerContext = AsyncLocalStorage.snapshot();
    const deferred = this.#requestEnd.defer(() => {
      this.#waiting.delete(waiting);
      if (!waiting.dropped) inCallerContext(() => this.#start(name, fn, timeoutMs));
      this.#notify();
    });
    if (deferred) return;
    this.#waiting.delete(waiting);
    this.#start(name, fn, timeoutMs);
  }

  settle(): Promise<void> {
    return this.#whenIdle({ waiting: false });
  }

  /**
   * Stops taking work, lets the work in flight (and `after()` work whose scope ends meanwhile) finish until half the
   * time left before `deadline`, then aborts it and gives it up to a second to settle. Returns a problem for each
   * piece still running, and for each piece whose scope never ended (it is dropped).
   */
  drain(clock: Clock, deadline: number): RuntimeProblem[] | Promise<RuntimeProblem[]> {
    if (this.#state === 'open') this.#state = 'stopping';
    // Nothing to drain: answer at once, so that a stop whose budget is already spent still hears from this one.
    if (!this.#busy(true)) return this.#stopped();
    return this.#drainBusy(clock, deadline);
  }

  async #drainBusy(clock: Clock, deadline: number): Promise<RuntimeProblem[]> {
    await this.#idleWithin(clock, drainWindow(clock, deadline), true);
    if (this.#running.size > 0) {
      this.#abortAll();
      await this.#idleWithin(clock, abortGrace(clock, deadline), false);
    }
    return this.#stopped();
  }

  /** Refuses work for good; returns a problem for each piece still running or still waiting for its scope. */
  #stopped(): RuntimeProblem[] {
    this.#state = 'stopped';
    const { logger } = this.#services();
    const problems: RuntimeProblem[] = [];
    for (const waiting of this.#waiting) {
      waiting.dropped = true;
      safely(() => logger.warn({ work: waiting.name }, 'background work dropped: its request scope never ended'));
      problems.push({
        error: new BackgroundError(
          'ORDO_BACKGROUND_STOPPED',
          waiting.name,
          `Background work "${waiting.name}" was deferred by after() to the end of a request scope that had not ` +
            'ended by the drain deadline; it was dropped without running',
        ),
      });
    }
    this.#waiting.clear();
    for (const { name } of this.#running) {
      safely(() => logger.warn({ work: name }, 'background work abandoned: it ignored its abort'));
      problems.push({
        error: new BackgroundError(
          'ORDO_BACKGROUND_ABANDONED',
          name,
          `Background work "${name}" ignored its abort at the drain deadline and was still running when the stop ` +
            'went on without it; honour the signal it is given',
        ),
      });
    }
    return problems;
  }

  /** Refuses work from now on and aborts what runs, without waiting: the app ended without a drain (a failed start). */
  end(): void {
    this.#state = 'stopped';
    for (const waiting of this.#waiting) waiting.dropped = true;
    this.#waiting.clear();
    this.#abortAll();
  }

  /** Checks a call's arguments and that work is taken; returns the work's timeout in milliseconds. */
  #accept(method: 'run' | 'after', name: unknown, fn: unknown, options: BackgroundOptions): number {
    if (typeof name !== 'string' || name === '') {
      throw new ConfigurationError(
        'ORDO_INVALID_OPTION',
        `Background.${method}() takes a name for the work (a non-empty string, shown in logs), got ${describeValue(name)}`,
      );
    }
    if (typeof fn !== 'function') {
      throw new ConfigurationError(
        'ORDO_INVALID_OPTION',
        `Background.${method}("${name}") takes the work as a function (signal) => Promise<void>, got ${describeValue(fn)}`,
      );
    }
    const timeoutMs =
      durationOption(options.timeout, `Background.${method}("${name}") option timeout`) ?? DEFAULT_BACKGROUND_TIMEOUT;
    if (this.#state !== 'open') {
      throw new BackgroundError(
        'ORDO_BACKGROUND_REFUSED',
        name,
        `Background.${method}("${name}") was refused: the app is stopping, and background work is not started once ` +
          'its stop began draining it',
      );
    }
    return timeoutMs;
  }

  #start(name: string, fn: BackgroundFn, timeoutMs: number): void {
    const { clock } = this.#services();
    const work: RunningWork = { name, controller: new AbortController(), startedAt: clock.now() };
    work.timer = clock.setTimer(timeoutMs, () => {
      const reason = new BackgroundError(
        'ORDO_BACKGROUND_TIMEOUT',
        name,
        `Background work "${name}" timed out after ${formatDuration(timeoutMs)}`,
      );
      safely(() => this.#services().logger.warn({ work: name, timeout: timeoutMs }, 'background work timed out'));
      work.controller.abort(reason);
    });
    this.#running.add(work);
    let running: Promise<void>;
    try {
      running = Promise.resolve(fn(work.controller.signal));
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      () => this.#finish(work),
      (error: unknown) => {
        this.#report(work, error);
        this.#finish(work);
      },
    );
  }

  #report(work: RunningWork, error: unknown): void {
    const { clock, logger, events } = this.#services();
    const durationMs = clock.now() - work.startedAt;
    safely(() => logger.error({ work: work.name, err: error, durationMs }, 'background work failed'));
    events?.emit('background:failed', { name: work.name, error, durationMs });
  }

  #finish(work: RunningWork): void {
    work.timer?.cancel();
    this.#running.delete(work);
    this.#notify();
  }

  #abortAll(): void {
    for (const { name, controller } of this.#running) {
      controller.abort(
        new BackgroundError(
          'ORDO_BACKGROUND_STOPPED',
          name,
          `The app is stopping: background work "${name}" is aborted at the drain deadline`,
        ),
      );
    }
  }

  #busy(countWaiting: boolean): boolean {
    return this.#running.size > 0 || (countWaiting && this.#waiting.size > 0);
  }

  #notify(): void {
    for (const watcher of [...this.#watchers]) watcher();
  }

  #whenIdle({ waiting }: { waiting: boolean }): Promise<void> {
    if (!this.#busy(waiting)) return Promise.resolve();
    return new Promise((resolve) => {
      const watcher = () => {
        if (this.#busy(waiting)) return;
        this.#watchers.delete(watcher);
        resolve();
      };
      this.#watchers.add(watcher);
    });
  }

  /** Resolves once idle (counting waiting work or not) or once `ms` passed on `clock`, whichever comes first. */
  #idleWithin(clock: Clock, ms: number, countWaiting: boolean): Promise<void> {
    if (ms <= 0 || !this.#busy(countWaiting)) return Promise.resolve();
    return new Promise((resolve) => {
      const watcher = () => {
        if (this.#busy(countWaiting)) return;
        done();
      };
      const timer = clock.setTimer(ms, () => done());
      const done = () => {
        timer.cancel();
        this.#watchers.delete(watcher);
        resolve();
      };
      this.#watchers.add(watcher);
    });
  }
}

/** Runs a call into the app's Logger, which must not be able to make background work fail. */
function safely(log: () => void): void {
  try {
    log();
  } catch (error) {
    process.emitWarning(`the app's Logger threw while reporting background work: ${messageOf(error)}`);
  }
}
