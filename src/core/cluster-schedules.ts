/**
 * A schedule that runs once per tick across every process sharing the app's job engine (`{ cluster: true }`), as
 * the scheduler declares it: a period or a cron expression.
 */
export interface ClusterSchedule {
  /** The schedule's name, the same in every process. */
  readonly name: string;
  /** A period in milliseconds: ticks at whole multiples of it since the epoch, so every process computes the same. */
  readonly every?: number;
  /** A cron expression (croner's syntax), read in `timeZone` when given. */
  readonly cron?: string;
  readonly timeZone?: string;
  /** What declared it, for messages: `@Every("1m") on Reports.rollup`. */
  readonly where: string;
}

/**
 * Runs one tick of a cluster schedule in this process: the scheduler's side of the seam. Resolves when the run
 * succeeded, rejects with its error when it failed; `signal` is the job engine's (lease lost, drain deadline).
 */
export type ClusterTickRunner = (name: string, scheduledAt: number, signal: AbortSignal) => Promise<void>;

/**
 * Who times a cluster schedule's ticks: `'slots'`, the scheduler, which hands each slot it reaches to
 * {@link ClusterSchedules.enqueue} (the SQLite engine); `'engine'`, the engine itself from the app's start on
 * (BullMQ's job schedulers).
 */
export type ClusterTiming = 'slots' | 'engine';

/**
 * The seam between the scheduler and the job engines for cluster-once schedules: the jobs capability implements
 * it, the schedule capability uses it, and the composition root hands the one to the other, so neither imports
 * the other. Each tick is a durable job, enqueued once across the cluster and run by whichever process claims it.
 */
export interface ClusterSchedules {
  /**
   * Called at `Ordo.create()` with the app's cluster schedules and the runner of their ticks: readies a job engine
   * for them and resolves with who times their ticks.
   *
   * @throws ConfigurationError naming a schedule when no engine can run it.
   */
  declare(schedules: readonly ClusterSchedule[], run: ClusterTickRunner): Promise<ClusterTiming>;
  /** With `'slots'` timing: puts the tick of `name` at `scheduledAt` on the queue unless some process did; true when this call did. */
  enqueue(name: string, scheduledAt: number): Promise<boolean>;
  /** With `'engine'` timing: the engine stops making ticks of `name`, in every process (remove, pause). */
  unschedule(name: string): Promise<void>;
  /** With `'engine'` timing: the engine makes ticks of `name` again (resume). */
  reschedule(name: string): Promise<void>;
}
