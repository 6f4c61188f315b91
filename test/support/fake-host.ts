import type { HostTimers } from '../../src/index.js';

interface HostTimer {
  id: number;
  due: number;
  fn: () => void;
}

/** A hand-driven stand-in for Node's timers, so SystemClock can be tested without waiting. */
export class FakeHost implements HostTimers {
  /** Monotonic time, in milliseconds; wall time too, unless the wall clock was stepped. */
  time = 0;
  /** How far the wall clock stands from monotonic time, as after an NTP step. */
  wallOffset = 0;
  /** Every delay handed to setTimeout, in order. */
  readonly delays: number[] = [];
  private readonly armed = new Map<number, HostTimer>();
  private nextId = 1;

  now(): number {
    return this.time + this.wallOffset;
  }

  monotonic(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.delays.push(ms);
    this.armed.set(id, { id, due: this.time + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.armed.delete(handle as number);
  }

  /** How many host timers are armed. */
  get pending(): number {
    return this.armed.size;
  }

  /** Moves time to `t`, firing due host timers in order, each with time set to its due time. */
  runUntil(t: number): void {
    for (;;) {
      const next = [...this.armed.values()]
        .filter((timer) => timer.due <= t)
        .sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (next === undefined) break;
      this.armed.delete(next.id);
      this.time = Math.max(this.time, next.due);
      next.fn();
    }
    this.time = Math.max(this.time, t);
  }

  /** Fires the earliest host timer `lateBy` ms after its due time, as a blocked event loop would. */
  fireNextLate(lateBy: number): void {
    const next = [...this.armed.values()].sort((a, b) => a.due - b.due || a.id - b.id)[0];
    if (next === undefined) throw new Error('no host timer armed');
    this.armed.delete(next.id);
    this.time = next.due + lateBy;
    next.fn();
  }
}
