import type { HeapEntry } from '../time/internal.js';
import { seededRandom } from './jitter.js';
import type { ScheduledFn } from './schedule-options.js';
import type { CheckedSchedule } from './schedule-spec.js';
import type { ScheduleInfo, ScheduleRunOutcome } from './schedules.js';

/** A run of a schedule going on now. */
export interface ActiveRun {
  readonly entry: ScheduleEntry;
  readonly controller: AbortController;
  readonly scheduledAt: number;
}

/** A run waiting for the previous one under `overlap: 'queue'`, with the triggers waiting for its outcome. */
export interface WaitingRun {
  readonly scheduledAt: number;
  readonly nextAt: number | undefined;
  readonly waiters: Array<(outcome: ScheduleRunOutcome) => void>;
}

/** One schedule's state in the scheduler: its place in the queue of next runs, and its counts. */
export class ScheduleEntry implements HeapEntry {
  /** When it next fires: its slot plus jitter. */
  due = 0;
  seq = 0;
  heapIndex = -1;
  /** Its next slot on the schedule, before jitter. */
  slot: number | undefined;
  /** Where `every` slots count from: the moment schedules started, or it was added. */
  origin = 0;
  paused = false;
  running = 0;
  waiting: WaitingRun | undefined;
  runs = 0;
  failures = 0;
  skips = 0;
  missed = 0;
  lastRun: number | undefined;
  lastSlot: number | undefined;
  lastOutcome: 'succeeded' | 'failed' | undefined;
  lastError: unknown;

  /** Made on first use: most schedules have no jitter, and a closure per schedule adds up over 100,000. */
  #random: (() => number) | undefined;

  /**
   * What `fn` is called on: a decorated method's instance, set at start once it is resolved. Kept beside the
   * method rather than bound into a closure, which would cost about 90 B per schedule over 100,000 of them.
   */
  receiver: unknown = undefined;

  /**
   * @param spec the checked declaration.
   * @param fn the body; for a decorated method, set at start once its instance is resolved.
   */
  constructor(
    readonly spec: CheckedSchedule,
    public fn: ScheduledFn | undefined,
  ) {}

  /** Places the entry at its first slot after `from`; false when the schedule has no slot left. */
  planAfter(from: number): boolean {
    return this.planAt(this.spec.slotAfter(from, this.origin));
  }

  /** Places the entry at `slot`, plus its jitter; false for no slot. */
  planAt(slot: number | undefined): boolean {
    this.slot = slot;
    if (slot === undefined) return false;
    const jitterMs = this.spec.jitterMs;
    if (jitterMs === 0) {
      this.due = slot;
    } else {
      this.#random ??= seededRandom(this.spec.name);
      this.due = slot + Math.floor(this.#random() * jitterMs);
    }
    return true;
  }

  /** @param nextRun when it next fires, if not from this process's queue (an engine-timed cluster schedule). */
  info(nextRun?: number): ScheduleInfo {
    const { name, kind, expression, period, timeZone, overlap, cluster } = this.spec;
    return {
      name,
      kind,
      expression,
      period,
      timeZone,
      overlap,
      cluster,
      nextRun: nextRun !== undefined ? new Date(nextRun) : this.heapIndex >= 0 ? new Date(this.due) : undefined,
      lastRun: this.lastRun === undefined ? undefined : new Date(this.lastRun),
      lastOutcome: this.lastOutcome,
      lastError: this.lastError,
      running: this.running > 0,
      paused: this.paused,
      runs: this.runs,
      failures: this.failures,
      skips: this.skips,
      missed: this.missed,
    };
  }
}
