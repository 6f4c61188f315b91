import type { OverlapPolicy, ScheduledFn, ScheduleSpec } from './schedule-options.js';

/** How a run ended, as `app.schedules.trigger` resolves and `list()` reports. */
export type ScheduleRunOutcome =
  | { readonly status: 'succeeded' }
  | { readonly status: 'failed'; readonly error: unknown }
  /** It did not run: the previous run was still going (`overlap: 'skip'`, or a run already waiting under `'queue'`). */
  | { readonly status: 'skipped' };

/** What `app.schedules.list()` and `get()` say about one schedule. */
export interface ScheduleInfo {
  readonly name: string;
  readonly kind: 'every' | 'cron';
  /** The cron expression, for `cron`. */
  readonly expression: string | undefined;
  /** The period in milliseconds, for `every`. */
  readonly period: number | undefined;
  /** The cron's time zone, if it has one. */
  readonly timeZone: string | undefined;
  readonly overlap: OverlapPolicy;
  /**
   * Whether each tick runs once across the processes sharing the job engine (`{ cluster: true }`). Then `runs`,
   * `lastRun`, `lastOutcome` and `failures` count the ticks this process ran, and `nextRun` is the next slot.
   */
  readonly cluster: boolean;
  /** When it next fires (its slot plus jitter); undefined while paused, before start, after stop or when none is left. */
  readonly nextRun: Date | undefined;
  /** When its last run started. */
  readonly lastRun: Date | undefined;
  /** How its last finished run ended; undefined until one finished. */
  readonly lastOutcome: 'succeeded' | 'failed' | undefined;
  /** The error of its last run, when that run failed. */
  readonly lastError: unknown;
  /** Whether a run of it is going now. */
  readonly running: boolean;
  readonly paused: boolean;
  /** Runs started, triggered ones included. */
  readonly runs: number;
  /** Runs that threw or rejected. */
  readonly failures: number;
  /** Due runs not run because the previous run was still going. */
  readonly skips: number;
  /** Slots that passed while the clock jumped or the event loop stalled, beyond the one catch-up run. */
  readonly missed: number;
}

/**
 * The app's schedules: the `@Every`/`@Cron` methods discovered at `Ordo.create()` and those added at run time.
 * It is `app.schedules`, and injectable as `Schedules`. Every call naming an unknown schedule throws
 * `ScheduleError` `ORDO_UNKNOWN_SCHEDULE`, naming the known ones.
 *
 * @example
 * ```ts
 * await app.schedules.trigger('Reports.nightly'); // { status: 'succeeded' }
 * app.schedules.add('cache.refresh', { every: '10m', overlap: 'queue' }, ({ signal }) => cache.refresh(signal));
 * ```
 */
export abstract class Schedules {
  /** Every schedule, in the order they were discovered or added. */
  abstract list(): ScheduleInfo[];

  /** One schedule. */
  abstract get(name: string): ScheduleInfo;

  /**
   * Runs the schedule now, honouring its overlap policy, and resolves with the run's outcome once it finished
   * (`skipped` when the policy does not let it run). Works while paused. Rejects with `ORDO_SCHEDULE_STOPPED`
   * unless schedules are running (from the end of `start()` until `stop()`).
   */
  abstract trigger(name: string): Promise<ScheduleRunOutcome>;

  /** Stops firing the schedule until {@link resume}; a run going on continues. */
  abstract pause(name: string): void;

  /** Fires the schedule again from its next slot after now. */
  abstract resume(name: string): void;

  /**
   * Adds a schedule at run time, checked as the decorators are: `{ every: '10m', ...EveryOptions }` or
   * `{ cron: '0 3 * * *', timeZone?, ...CronOptions }`. Added before start, it starts with the others; added
   * later, its period counts from now.
   *
   * @throws ConfigurationError `ORDO_INVALID_SCHEDULE`, `ORDO_INVALID_CRON`, `ORDO_INVALID_TIME_ZONE`, or
   * `ORDO_DUPLICATE_SCHEDULE_NAME`.
   * @throws ScheduleError `ORDO_SCHEDULE_STOPPED` once schedules stopped.
   */
  abstract add(name: string, spec: ScheduleSpec, fn: ScheduledFn): void;

  /** Removes a schedule; a run going on continues, and is drained at stop. */
  abstract remove(name: string): void;
}
