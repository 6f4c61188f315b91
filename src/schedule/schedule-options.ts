import type { Duration } from '../time/index.js';

/**
 * What a due run does while the schedule's previous run is still running:
 * - `'skip'`: it does not run, and the schedule's `skips` count grows;
 * - `'queue'`: it runs once the previous run finished; at most one waits, later ones are skipped;
 * - `'allow'`: it runs beside the previous one.
 */
export type OverlapPolicy = 'skip' | 'queue' | 'allow';

/** Options shared by {@link Every} and {@link Cron}. */
export interface ScheduleOptions {
  /**
   * The schedule's name in `app.schedules`, logs and events; unique per app.
   *
   * @default `ClassName.method`
   */
  name?: string;
  /**
   * What a due run does while the previous run is still running (see {@link OverlapPolicy}).
   *
   * @default 'skip'
   */
  overlap?: OverlapPolicy;
  /**
   * How long one run may take: then its signal aborts with `ScheduleError` `ORDO_SCHEDULE_TIMEOUT`, naming the
   * schedule. The run counts as running until it settles.
   *
   * @default none
   *
   * @example
   * ```ts
   * @Every('5m', { timeout: '1m' })
   * ```
   */
  timeout?: Duration;
  /**
   * Runs each tick once across every process sharing the app's job engine, instead of once in each process: the
   * tick is a durable job, enqueued once (whichever process reaches the slot first) and run by the process that
   * claims it; a tick whose process died mid-run runs again once its lease expires. `@Every` slots then fall on
   * whole multiples of the period since the epoch, the same in every process. Needs a job engine: the embedded
   * SQLite store unless `jobs` says otherwise (see docs/schedules.md, "Once across a cluster"). Not with `jitter`
   * or `immediate`, nor in `app.schedules.add`.
   *
   * @default false
   *
   * @example
   * ```ts
   * @Cron('0 3 * * *', { cluster: true })
   * ```
   */
  cluster?: boolean;
}

/** Options of {@link Every}. */
export interface EveryOptions extends ScheduleOptions {
  /**
   * Delays each run by up to this long after its slot, so that many instances do not fire at once; shorter than
   * the period. Deterministic: the delays come from a source seeded by the schedule's name.
   *
   * @default none
   *
   * @example
   * ```ts
   * @Every('1h', { jitter: '5m' })
   * ```
   */
  jitter?: Duration;
  /**
   * Runs once when schedules start, as well as every period from then.
   *
   * @default false
   */
  immediate?: boolean;
}

/** Options of {@link Cron}. */
export interface CronOptions extends ScheduleOptions {
  /**
   * The IANA time zone the expression is read in (`'Europe/Berlin'`); across daylight-saving changes runs come at
   * the instants croner computes (see docs/schedules.md).
   *
   * @default the host's time zone
   */
  timeZone?: string;
}

/** What a scheduled method (or a function given to `app.schedules.add`) receives for each run. */
export interface ScheduleRunContext {
  /** The schedule's name. */
  readonly name: string;
  /** The slot this run is for: its time on the schedule, before any jitter or delay. */
  readonly scheduledAt: Date;
  /** When the run started. */
  readonly startedAt: Date;
  /** The slot of the schedule's previous run, if it ran before. */
  readonly previousAt: Date | undefined;
  /** The schedule's next slot after this one, if there is one. */
  readonly nextAt: Date | undefined;
  /** Aborts at the run's `timeout`, or when the app's stop reaches its drain deadline. */
  readonly signal: AbortSignal;
}

/** A schedule's body: a scheduled method, or the function given to `app.schedules.add`. */
export type ScheduledFn = (context: ScheduleRunContext) => unknown;

/** A schedule defined at run time with `app.schedules.add`: a period, with {@link Every}'s options. */
export interface EverySpec extends EveryOptions {
  /** The period, as `@Every` takes it. */
  every: Duration;
}

/** A schedule defined at run time with `app.schedules.add`: a cron expression, with {@link Cron}'s options. */
export interface CronSpec extends CronOptions {
  /** The cron expression, as `@Cron` takes it. */
  cron: string;
}

/** What `app.schedules.add` takes. */
export type ScheduleSpec = EverySpec | CronSpec;
