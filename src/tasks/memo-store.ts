import { type Clock, SystemClock } from '../time/index.js';
import { type AbortListener, unwatchAbort, watchAbort } from './abort-watch.js';
import { describeInput } from './input-key.js';
import type { TaskSpec } from './task-spec.js';

// Run states, as small integers for the hot path. A run leaves RUNNING exactly once.
/** The body is running (or about to start); callers join it. */
export const RUNNING = 0;
/** The body resolved; the entry holds its value. */
export const SUCCEEDED = 1;
/** The body rejected or threw; the entry is kept only with `cacheErrors`. */
export const FAILED = 2;
/** Abandoned or aborted with the scope; already removed from the cache. */
export const ABORTED = 3;
type RunState = typeof RUNNING | typeof SUCCEEDED | typeof FAILED | typeof ABORTED;

/**
 * One run of one task for one input in one scope, and its shared result. It stays in the scope's table while it
 * runs and, once completed, for as long as its ttl and the scope's bound allow. An aborted run is removed at once,
 * so an abort is never what a later caller gets.
 */
export class RunEntry {
  /** Where the run is: running, succeeded, failed or aborted; it leaves RUNNING once. */
  state: RunState = RUNNING;
  /** The shared outcome every caller awaits (or forwards): the body's result or failure, or the abort reason. */
  readonly promise: Promise<unknown>;
  /** Fulfils {@link RunEntry.promise}; called once, by the store, when the body resolves. */
  settleOk!: (value: unknown) => void;
  /** Rejects {@link RunEntry.promise}; called once, by the store, when the body fails or the run is aborted. */
  settleFailed!: (error: unknown) => void;
  /** When a completed result expires; running entries never do. */
  expiresAt = Infinity;
  /** A caller without a signal waits: the run is never abandoned, only aborted with the scope. */
  pinned = false;
  /** Callers that could still leave (a signal, a group, a calling run). At zero, and unpinned, the run is abandoned. */
  waiterCount = 0;
  /** The waits this run's own body started on running entries: the edges of the wait-for graph. */
  waits: Waiter[] | undefined = undefined;
  /**
   * The reasons callers left with while the run went on for others, kept only for tasks that cache errors: a
   * failure that is one of them comes from that caller's abort, not from the task, and must not be cached.
   */
  leftWith: unknown[] | undefined = undefined;
  /** Why the run was aborted, once it is; what a body that goes on afterwards is refused with. */
  abortReason: unknown = undefined;
  private controller: AbortController | undefined = undefined;
  /** Neighbours in the scope's recency list (only for completed entries of a bounded scope). */
  newer: RunEntry | undefined = undefined;
  /** The neighbour used less recently, see {@link RunEntry.newer}. */
  older: RunEntry | undefined = undefined;
  /** Whether the entry is in the recency list (completed, in a bounded scope). */
  listed = false;

  /**
   * @param spec the task this is a run of.
   * @param key the input's cache key in `home`.
   * @param home the table the entry lives in, so removing it needs no lookup of the task's table.
   * @param input the input as given, for labels in messages and cycle paths.
   */
  constructor(
    readonly spec: TaskSpec<never>,
    readonly key: unknown,
    readonly home: Map<unknown, RunEntry>,
    readonly input: unknown,
  ) {
    this.promise = new Promise((resolve, reject) => {
      this.settleOk = resolve;
      this.settleFailed = reject;
    });
  }

  /** The run's cancellation signal, made on first use: most runs never look at it. */
  get signal(): AbortSignal {
    let controller = this.controller;
    if (controller === undefined) {
      controller = this.controller = new AbortController();
      if (this.state === ABORTED) controller.abort(this.abortReason);
    }
    return controller.signal;
  }

  /** Aborts the run's signal, if anyone asked for it, so the body can stop its work. */
  abortSignal(reason: unknown): void {
    this.controller?.abort(reason);
  }

  /** `getUser("1")`, for messages. */
  label(): string {
    return `${this.spec.name}(${describeInput(this.input)})`;
  }
}

/**
 * A caller's wait on a running entry that the caller may leave: by its own signal aborting, by its `all()` group
 * failing fast, or by its calling run being aborted. Leaving never touches the run unless it was the last wait.
 */
export class Waiter implements AbortListener {
  /** Whether this wait is over: the run settled for it, or the caller left. */
  done = false;
  private rejectOwn: ((reason: unknown) => void) | undefined = undefined;

  /**
   * @param store the scope the run lives in, to abort the run if this was its last wait.
   * @param entry the run waited for.
   * @param signal the caller's own signal, if any; the wait leaves when it aborts.
   */
  constructor(
    private readonly store: ScopeStore,
    readonly entry: RunEntry,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** A promise of the entry's outcome that this caller's signal can reject early. */
  forward(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.rejectOwn = reject;
      this.entry.promise.then(
        (value) => {
          if (this.finish()) resolve(value);
        },
        (error: unknown) => {
          if (this.finish()) reject(error);
        },
      );
    });
  }

  /** The caller's signal aborted: the caller leaves with its reason. */
  onAbort(reason: unknown): void {
    this.leave(reason);
  }

  /** This caller stops waiting; the run is abandoned if no one else waits. */
  leave(reason: unknown): void {
    if (this.release(reason)) this.store.abort(this.entry, reason);
  }

  /** Stops waiting without touching the run; true if that left a running entry with no one waiting. */
  release(reason: unknown): boolean {
    if (this.done) return false;
    this.done = true;
    if (this.signal !== undefined) unwatchAbort(this.signal, this);
    this.rejectOwn?.(reason);
    const entry = this.entry;
    if (entry.state !== RUNNING) return false;
    if (--entry.waiterCount === 0 && !entry.pinned) return true;
    if (entry.spec.cacheErrors && reason !== undefined) (entry.leftWith ??= []).push(reason);
    return false;
  }

  private finish(): boolean {
    if (this.done) return false;
    this.done = true;
    if (this.signal !== undefined) unwatchAbort(this.signal, this);
    return true;
  }
}

/** The waits of one `all()` / `allSettled()` call, left together when it fails fast or its signal aborts. */
export class WaitGroup {
  /** The group's waits, one per bound task that joined a running entry. */
  readonly waiters: Waiter[] = [];

  /** The group stops waiting with `reason` (its first failure, or its signal's reason), abandoning lone runs. */
  leaveAll(reason: unknown): void {
    for (const waiter of this.waiters) waiter.leave(reason);
  }
}

/** Counters of a scope's cache, for tests and metrics. */
export interface TaskScopeStats {
  /** Entries in the cache, running and completed. */
  readonly entries: number;
  /** Entries whose run is in flight. */
  readonly running: number;
  /** Expired-entry sweeps done so far (at most one per ttl). */
  readonly sweeps: number;
  /** Completed entries evicted to respect `maxEntries`. */
  readonly evictions: number;
  /**
   * Per-task tables in the cache: one for each task with an entry (two if it has both primitive and object inputs).
   * A table goes with its last entry, so a long-lived scope holds none for tasks it no longer caches.
   */
  readonly tables: number;
}

/**
 * The state shared by a scope and every view of it handed to task bodies: the cache tables, ttl sweeping, the
 * recency bound and the scope's abort.
 */
export class ScopeStore implements AbortListener {
  /** Task identity -> input (primitive, or the task's own key) -> entry. */
  readonly tables = new Map<object | string, Map<unknown, RunEntry>>();
  /** Task identity -> structural key of an object input -> entry; apart so a string input never meets one. */
  private shapedTables: Map<object | string, Map<unknown, RunEntry>> | undefined = undefined;
  /** Entries in the tables, running and completed. */
  size = 0;
  /** Entries whose run is in flight; the scope's signal is watched while there are any. */
  running = 0;
  /** Sweeps done so far. */
  sweeps = 0;
  /** Completed entries evicted to respect `maxEntries`. */
  evictions = 0;
  /** Sweeps happen at most once per the smallest positive ttl in use. */
  nextSweepAt = Infinity;
  private sweepEvery = Infinity;
  private lastSweep = 0;
  readonly bounded: boolean;
  private newest: RunEntry | undefined = undefined;
  private oldest: RunEntry | undefined = undefined;
  private idleSignal: AbortSignal | undefined = undefined;
  /** Whether expiry checks may reuse one reading of the clock for the rest of an event-loop turn. */
  private readonly readsPerTurn: boolean;
  /** The clock's reading of this turn, or NaN when the next check must read it. */
  private turnNow = NaN;
  /** Forgets {@link ScopeStore.turnNow}; made on first use, so a scope that never checks expiry never makes it. */
  private endTurn: (() => void) | undefined = undefined;

  /**
   * @param clock the source of time of ttls.
   * @param ttl the scope's ttl in milliseconds, or `undefined` for none.
   * @param maxEntries the bound, `Infinity` for none.
   * @param signal the scope's signal, if any.
   * @param keepsResultsOnAbort whether completed results are still served once `signal` aborted; if not, they are
   *   dropped at the abort, and every later call misses and is refused with the signal's reason.
   */
  constructor(
    readonly clock: Clock,
    readonly ttl: number | undefined,
    readonly maxEntries: number,
    readonly signal: AbortSignal | undefined,
    keepsResultsOnAbort = true,
  ) {
    this.bounded = maxEntries !== Infinity;
    // A listener of its own, for the store's whole life: the shared one (watchAbort) is there only while runs are.
    // Dropping the results at the abort, rather than checking the signal on every hit, keeps hits as they are.
    if (!keepsResultsOnAbort && signal !== undefined && !signal.aborted) {
      signal.addEventListener('abort', () => this.dropAll(signal.reason), { once: true });
    }
    // Reading the system clock costs more than a whole cached hit (Date.now is 60-90 ns on a VM), so hits on it
    // share one reading per event-loop turn. Other clocks are cheap (VirtualClock) or unknown, and tests count
    // their timers, so those are read on every check instead, exactly.
    this.readsPerTurn = clock instanceof SystemClock;
  }

  /** The scope's own signal: the one it was given, or one that never aborts. */
  scopeSignal(): AbortSignal {
    return this.signal ?? (this.idleSignal ??= new AbortController().signal);
  }

  /** The live entry for a key, or undefined; drops it if it has expired. The hot path of every call. */
  find(id: object | string, key: unknown, shaped: boolean): RunEntry | undefined {
    return this.findIn(shaped ? this.shapedTables?.get(id) : this.tables.get(id), key);
  }

  /**
   * The table of a task's primitive keys while it has an entry. A table leaves the store with its last entry, so a
   * caller that keeps one must look again on a miss: a dropped table stays empty, and the task's entries go to a
   * new one.
   */
  tableOf(id: object | string): Map<unknown, RunEntry> | undefined {
    return this.tables.get(id);
  }

  /**
   * {@link ScopeStore.find} in a task's table, looked up by the caller ({@link ScopeStore.tableOf}) — a caller that
   * keeps the table saves a lookup per hit — or `undefined` if the task has none yet.
   */
  findIn(table: Map<unknown, RunEntry> | undefined, key: unknown): RunEntry | undefined {
    // The time is looked at once, and only in scopes that have ttls at all.
    let now = NaN;
    if (this.nextSweepAt !== Infinity) {
      now = this.turnNow;
      if (now !== now) now = this.expiryNow();
      if (now >= this.nextSweepAt) this.sweep(now);
    }
    if (table === undefined) return undefined;
    const entry = table.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== Infinity && (now === now ? now : this.expiryNow()) >= entry.expiresAt) {
      this.remove(entry);
      return undefined;
    }
    // Only completed entries of a bounded scope are listed; the newest needs no move (a run of hits on one key).
    if (entry.listed && this.newest !== entry) this.touch(entry);
    return entry;
  }

  /**
   * The time expiry and sweeps are judged by. On the system clock, the first check of an event-loop turn reads the
   * clock and arms a zero-delay timer that forgets the reading when the loop next runs timers; checks in between —
   * the rest of the current job, its promise callbacks, and I/O callbacks of the same turn — reuse it. The reading
   * is never ahead of the clock, so a result is never dropped before its ttl; it may outlive it by the rest of the
   * turn.
   */
  private expiryNow(): number {
    const cached = this.turnNow;
    if (cached === cached) return cached;
    const now = this.clock.now();
    if (this.readsPerTurn) {
      this.turnNow = now;
      this.clock.setTimer(0, (this.endTurn ??= () => (this.turnNow = NaN)));
    }
    return now;
  }

  /** Adds a running entry for a key that has none. */
  create(spec: TaskSpec<never>, key: unknown, shaped: boolean, input: unknown): RunEntry {
    const tables = shaped ? (this.shapedTables ??= new Map()) : this.tables;
    let table = tables.get(spec.id);
    if (table === undefined) {
      table = new Map();
      tables.set(spec.id, table);
    }
    const entry = new RunEntry(spec, key, table, input);
    table.set(key, entry);
    this.size++;
    if (++this.running === 1 && this.signal !== undefined) watchAbort(this.signal, this);
    if (this.size > this.maxEntries) this.evictOverflow();
    return entry;
  }

  /** The body of a running entry resolved: the value is kept for the entry's ttl and handed to every caller. */
  succeed(entry: RunEntry, value: unknown): void {
    if (entry.state !== RUNNING) return;
    entry.state = SUCCEEDED;
    this.stopRunning(entry);
    this.keep(entry);
    entry.settleOk(value);
  }

  /**
   * The body of a running entry failed: every caller gets `error`; the entry is kept like a result only if its
   * task caches errors and the failure is not an abort.
   */
  fail(entry: RunEntry, error: unknown): void {
    if (entry.state !== RUNNING) return;
    entry.state = FAILED;
    // An abort is an abort, whoever raised it: caching it would poison the scope as Vorma's cancel did.
    const cached = entry.spec.cacheErrors && !this.isAbort(entry, error);
    this.stopRunning(entry);
    if (cached) this.keep(entry);
    else this.remove(entry);
    entry.settleFailed(error);
  }

  /**
   * Ends a run no one wants any more (or whose scope aborted): it leaves the cache before anything else can see
   * it, its body's signal aborts, the waits it started are left in turn — abandoning, iteratively, what no one else
   * waits for — and whoever still holds its promise gets `reason`.
   */
  abort(first: RunEntry, reason: unknown): void {
    const pending = [first];
    for (let entry = pending.pop(); entry !== undefined; entry = pending.pop()) {
      if (entry.state !== RUNNING) continue;
      entry.state = ABORTED;
      entry.abortReason = reason;
      this.remove(entry);
      const waits = entry.waits;
      this.stopRunning(entry);
      entry.abortSignal(reason);
      if (waits !== undefined) for (const waiter of waits) if (waiter.release(reason)) pending.push(waiter.entry);
      entry.settleFailed(reason);
    }
  }

  /** The scope's signal aborted: every running entry aborts with its reason. */
  onAbort(reason: unknown): void {
    const running: RunEntry[] = [];
    for (const tables of [this.tables, this.shapedTables]) {
      if (tables === undefined) continue;
      for (const table of tables.values()) {
        for (const entry of table.values()) if (entry.state === RUNNING) running.push(entry);
      }
    }
    for (const entry of running) this.abort(entry, reason);
  }

  /** The scope ends: its running entries abort with `reason`, and its completed ones are dropped. */
  private dropAll(reason: unknown): void {
    this.onAbort(reason);
    for (const tables of [this.tables, this.shapedTables]) {
      if (tables === undefined) continue;
      for (const table of tables.values()) for (const entry of table.values()) this.remove(entry);
    }
  }

  /** A snapshot of the counters. */
  stats(): TaskScopeStats {
    const tables = this.tables.size + (this.shapedTables?.size ?? 0);
    return { entries: this.size, running: this.running, sweeps: this.sweeps, evictions: this.evictions, tables };
  }

  /**
   * Whether a failure is an abort rather than the task's own outcome: an `AbortError` or `TimeoutError`, or the
   * very reason a caller that left aborted with (a body that used that caller's signal, or threw its
   * `signal.reason`, fails with it while the run goes on for others). The scope's own reason needs no check:
   * its abort aborts every running entry at once, before any body can fail with it.
   */
  private isAbort(entry: RunEntry, error: unknown): boolean {
    if (typeof error === 'object' && error !== null && ABORT_NAMES.has((error as { name?: unknown }).name)) return true;
    return entry.leftWith !== undefined && entry.leftWith.includes(error);
  }

  private stopRunning(entry: RunEntry): void {
    entry.waits = undefined;
    entry.leftWith = undefined;
    if (--this.running === 0 && this.signal !== undefined) unwatchAbort(this.signal, this);
  }

  /** A completed entry stays for its ttl (from now), joins the recency list, and the bound is enforced. */
  private keep(entry: RunEntry): void {
    const ttl = entry.spec.ttl ?? this.ttl;
    if (ttl === 0) {
      this.remove(entry);
      return;
    }
    if (ttl !== undefined) {
      // Completion is rare next to hits: always a fresh reading, so a ttl counts from the real completion time.
      const now = this.clock.now();
      if (this.turnNow === this.turnNow) this.turnNow = now;
      entry.expiresAt = now + ttl;
      if (ttl < this.sweepEvery) {
        if (this.sweepEvery === Infinity) this.lastSweep = now;
        this.sweepEvery = ttl;
        this.nextSweepAt = this.lastSweep + ttl;
      }
    }
    if (this.bounded) {
      this.link(entry);
      if (this.size > this.maxEntries) this.evictOverflow();
    }
  }

  private remove(entry: RunEntry): void {
    const home = entry.home;
    if (home.get(entry.key) !== entry) return;
    home.delete(entry.key);
    this.size--;
    if (entry.listed) this.unlink(entry);
    // An empty table goes: a long-lived scope would otherwise keep one per task it ever ran, however few it caches.
    if (home.size === 0) this.dropTable(entry.spec.id, home);
  }

  private dropTable(id: object | string, table: Map<unknown, RunEntry>): void {
    if (this.tables.get(id) === table) this.tables.delete(id);
    else if (this.shapedTables?.get(id) === table) this.shapedTables.delete(id);
  }

  private sweep(now: number): void {
    for (const tables of [this.tables, this.shapedTables]) {
      if (tables === undefined) continue;
      for (const table of tables.values()) {
        for (const entry of table.values()) if (entry.expiresAt <= now) this.remove(entry);
      }
    }
    this.sweeps++;
    this.lastSweep = now;
    this.nextSweepAt = now + this.sweepEvery;
  }

  /** Least recently used completed entries go first; running entries are never evicted. */
  private evictOverflow(): void {
    while (this.size > this.maxEntries && this.oldest !== undefined) {
      this.remove(this.oldest);
      this.evictions++;
    }
  }

  private link(entry: RunEntry): void {
    entry.listed = true;
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = entry;
    else this.oldest = entry;
    this.newest = entry;
  }

  private unlink(entry: RunEntry): void {
    entry.listed = false;
    if (entry.newer !== undefined) entry.newer.older = entry.older;
    else this.newest = entry.older;
    if (entry.older !== undefined) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    entry.newer = entry.older = undefined;
  }

  private touch(entry: RunEntry): void {
    if (this.newest === entry) return;
    this.unlink(entry);
    this.link(entry);
  }
}

/** Names of the errors a signal aborts with when given no reason (`abort()`) and when it times out (`AbortSignal.timeout`). */
const ABORT_NAMES: ReadonlySet<unknown> = new Set(['AbortError', 'TimeoutError']);
