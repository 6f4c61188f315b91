import type { ClusterSchedule, ClusterSchedules, ClusterTickRunner, ClusterTiming } from '../core/internal.js';
import { ConfigurationError } from '../errors/index.js';
import type { Clock } from '../time/index.js';
import type { ClaimedJob, JobQueueSpec, JobSchedule, JobsBackend } from './jobs-backend.js';

/** Where the job names of cluster schedules' ticks start: `ordo.schedule:Reports.rollup`. */
export const TICK_JOB_PREFIX = 'ordo.schedule:';

/** What {@link ClusterTicks} needs from the jobs runtime. */
export interface ClusterTicksAccess {
  /** The engine, loaded and built if no `@Job` did it; opens nothing. */
  load(): Promise<JobsBackend>;
  /** The engine, opened once. */
  open(): Promise<JobsBackend>;
  /** True when a `@Job` has this name. */
  isJob(name: string): boolean;
  /** The app's Clock. */
  clock(): Clock;
}

/** The tick job's payload, for ticks the scheduler times. */
interface TickPayload {
  readonly scheduledAt: number;
}

/**
 * The jobs capability's side of cluster-once schedules (see {@link ClusterSchedules}): each tick is a job named
 * `ordo.schedule:<schedule>`, with one attempt (a failed run is recorded, as a schedule's is, and not retried) and
 * one tick at a time per process. An engine that offers `enqueueTick` (SQLite) has the scheduler time the ticks;
 * one that offers `upsertSchedule` (BullMQ) times them itself.
 */
export class ClusterTicks implements ClusterSchedules {
  readonly #access: ClusterTicksAccess;
  readonly #schedules = new Map<string, ClusterSchedule>();
  /** Engine-timed schedules whose ticks are stopped (paused or removed). */
  readonly #stopped = new Set<string>();
  #run?: ClusterTickRunner;
  #timing: ClusterTiming = 'slots';
  #started = false;

  constructor(access: ClusterTicksAccess) {
    this.#access = access;
  }

  /** Whether the app declared a cluster schedule. */
  get declared(): boolean {
    return this.#schedules.size > 0;
  }

  async declare(schedules: readonly ClusterSchedule[], run: ClusterTickRunner): Promise<ClusterTiming> {
    for (const schedule of schedules) {
      if (this.#access.isJob(tickJobOf(schedule.name))) {
        throw new ConfigurationError(
          'ORDO_DUPLICATE_JOB',
          `${schedule.where}: its ticks run as jobs named "${tickJobOf(schedule.name)}", and a @Job has that name; rename one`,
        );
      }
    }
    const backend = await this.#access.load();
    if (backend.enqueueTick !== undefined) this.#timing = 'slots';
    else if (backend.upsertSchedule !== undefined && backend.removeSchedule !== undefined) this.#timing = 'engine';
    else {
      throw new ConfigurationError(
        'ORDO_INVALID_SCHEDULE',
        `${schedules[0]!.where}: { cluster: true } runs each tick as a durable job, and the ${backend.engine} engine of ` +
          'durable jobs cannot make ticks (it implements neither enqueueTick nor upsertSchedule); configure jobs with ' +
          'the sqlite or bullmq engine, or drop cluster',
      );
    }
    for (const schedule of schedules) this.#schedules.set(schedule.name, schedule);
    this.#run = run;
    return this.#timing;
  }

  /** The queues of the ticks, for the workers. */
  queues(): JobQueueSpec[] {
    return [...this.#schedules.keys()].map((name) => ({
      name: tickJobOf(name),
      concurrency: 1,
      attempts: 1,
      backoff: () => 0,
      run: (job: ClaimedJob, signal: AbortSignal) =>
        this.#run!(name, job.scheduledAt ?? (job.payload as TickPayload).scheduledAt, signal),
    }));
  }

  /** Before the workers start: an engine that times ticks gets every schedule not stopped. */
  async start(backend: JobsBackend): Promise<void> {
    this.#started = true;
    if (this.#timing !== 'engine') return;
    for (const schedule of this.#schedules.values()) {
      if (!this.#stopped.has(schedule.name)) await backend.upsertSchedule!(jobScheduleOf(schedule));
    }
  }

  async enqueue(name: string, scheduledAt: number): Promise<boolean> {
    const backend = await this.#access.open();
    const now = this.#access.clock().now();
    const payload: TickPayload = { scheduledAt };
    const id = await backend.enqueueTick!(
      { name: tickJobOf(name), payload: JSON.stringify(payload), runAt: now, enqueuedAt: now, maxAttempts: 1 },
      { schedule: name, slot: scheduledAt },
    );
    return id !== undefined;
  }

  async unschedule(name: string): Promise<void> {
    this.#stopped.add(name);
    if (this.#started) await (await this.#access.open()).removeSchedule!(tickJobOf(name));
  }

  async reschedule(name: string): Promise<void> {
    const schedule = this.#schedules.get(name);
    this.#stopped.delete(name);
    if (this.#started && schedule !== undefined) {
      await (
        await this.#access.open()
      ).upsertSchedule!(jobScheduleOf(schedule));
    }
  }
}

/** The job name of a cluster schedule's ticks. */
export function tickJobOf(schedule: string): string {
  return `${TICK_JOB_PREFIX}${schedule}`;
}

function jobScheduleOf(schedule: ClusterSchedule): JobSchedule {
  return {
    job: tickJobOf(schedule.name),
    ...(schedule.every === undefined ? {} : { every: schedule.every }),
    ...(schedule.cron === undefined ? {} : { cron: schedule.cron }),
    ...(schedule.timeZone === undefined ? {} : { timeZone: schedule.timeZone }),
  };
}
