import type { Clock } from '../time/index.js';
import { type AbortListener, unwatchAbort, watchAbort } from './abort-watch.js';
import { RecencyList } from './recency-list.js';
import { ABORTED, FAILED, ListedEntry, RUNNING, type Run, RunEntry, SUCCEEDED } from './run-entry.js';
import type { TaskSpec } from './task-spec.js';

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

/** What {@link ScopeStore.abortScope} has not been given: a reason can be anything, `undefined` included. */
const NOT_ABORTED: unique symbol = Symbol('ordo.tasks.notAborted');

/**
 * What a task's table holds for one key: the entry while its run goes on, and once it completed, in a scope that
 * can neither expire, evict nor drop it, only its promise — as much as a `Map` of promises holds. A completed
 * entry that can still leave (a ttl, a bound, results dropped at an abort) stays a {@link RunEntry}. See
 * docs/internals/performance.md#a-cached-entry-is-small.
 */
export type Slot = RunEntry | Promise<unknown>;

/**
 * The state shared by a scope and every view of it handed to task bodies: the cache tables, ttl sweeping, the
 * recency bound and the scope's abort.
 */
export class ScopeStore implements AbortListener {
  /**
   * Task identity -> input (primitive, or the task's own key) -> entry. Made by the first entry, like the other
   * tables: a request scope whose request calls no task costs no `Map`.
   */
  #tables: Map<object | string, Map<unknown, Slot>> | undefined = undefined;
  /** Task identity -> structural key of an object input -> entry; apart so a string input never meets one. */
  #shapedTables: Map<object | string, Map<unknown, Slot>> | undefined = undefined;
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
  #sweepEvery = Infinity;
  #lastSweep = 0;
  readonly bounded: boolean;
  /** Whether a completed entry whose task has no ttl can be kept as its bare promise: nothing can remove it. */
  #keepsBare: boolean;
  /** Whether completed results are still served once the scope aborted (see the constructor). */
  readonly #keepsResultsOnAbort: boolean;
  /** Whether a completed entry was ever kept as an entry (with its expiry or recency), not as its bare promise. */
  #keepsEntries = false;
  /** The completed entries of a bounded scope, least recently used first out; none in an unbounded scope. */
  readonly #recency: RecencyList<ListedEntry> | undefined;
  /**
   * Whether {@link ScopeStore.abortScope} may be called: the scope then waits on app-wide runs with a signal of its
   * own, made when first asked, which that call aborts.
   */
  #abortable = false;
  /** Why {@link ScopeStore.abortScope} aborted the scope; {@link NOT_ABORTED} until it does. */
  #abortedWith: unknown = NOT_ABORTED;
  /** The scope's own signal, for a scope given none: made when first asked (`scope.signal`, an app-wide wait). */
  #ownSignal: AbortSignal | undefined = undefined;
  /** Aborts {@link ScopeStore.#ownSignal} while it is not aborted yet. */
  #ownController: AbortController | undefined = undefined;

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
    this.#keepsResultsOnAbort = keepsResultsOnAbort;
    this.#keepsBare = !this.bounded && ttl === undefined && (keepsResultsOnAbort || signal === undefined);
    this.#recency = this.bounded ? new RecencyList() : undefined;
    // A listener of its own, for the store's whole life: the shared one (watchAbort) is there only while runs are.
    // Dropping the results at the abort, rather than checking the signal on every hit, keeps hits as they are.
    if (!keepsResultsOnAbort && signal !== undefined && !signal.aborted) {
      signal.addEventListener('abort', () => this.#dropAll(signal.reason), { once: true });
    }
  }

  /**
   * The scope's signal: the one it was given, or else one of its own, made now if it was not yet (it aborts with
   * {@link ScopeStore.abortScope}, and otherwise never).
   */
  scopeSignal(): AbortSignal {
    if (this.signal !== undefined) return this.signal;
    let own = this.#ownSignal;
    if (own === undefined) {
      if (this.#abortedWith === NOT_ABORTED) own = (this.#ownController = new AbortController()).signal;
      else own = AbortSignal.abort(this.#abortedWith);
      this.#ownSignal = own;
    }
    return own;
  }

  /**
   * What a call made in the scope waits on an app-wide run with: the scope's signal, if it was given one or can be
   * aborted by {@link ScopeStore.abortScope}. A scope that can never abort makes none.
   */
  waitSignal(): AbortSignal | undefined {
    return this.signal !== undefined || this.#abortable ? this.scopeSignal() : undefined;
  }

  /** Whether the scope has aborted, by its signal or {@link ScopeStore.abortScope}: it refuses new runs. */
  get aborted(): boolean {
    return this.#abortedWith !== NOT_ABORTED || (this.signal !== undefined && this.signal.aborted);
  }

  /** Why the scope aborted, once {@link ScopeStore.aborted}. */
  get abortReason(): unknown {
    return this.#abortedWith !== NOT_ABORTED ? this.#abortedWith : this.signal?.reason;
  }

  /**
   * Lets {@link ScopeStore.abortScope} abort the scope. Called before the scope's first run, so every app-wide wait
   * of the scope can hear of it.
   */
  makeAbortable(): void {
    this.#abortable = true;
    if (!this.#keepsResultsOnAbort) this.#keepsBare = false;
  }

  /**
   * Aborts the scope as an abort of its signal would, without an AbortController unless someone asked for the
   * scope's signal: its running entries abort with `reason`, it refuses new runs with it, and its signal (when made)
   * aborts with it. Once only; a scope whose signal already aborted stays as it is.
   */
  abortScope(reason: unknown): void {
    if (this.aborted) return;
    this.#abortedWith = reason;
    if (this.#keepsResultsOnAbort) this.onAbort(reason);
    else this.#dropAll(reason);
    this.#ownController?.abort(reason);
    this.#ownController = undefined;
  }

  /**
   * What the cache holds for a key: a completed result's promise, the running entry a call joins, or undefined;
   * drops an entry that has expired. The hot path of every call: a caller tells the two apart with `instanceof
   * RunEntry`, and a hit on a bare result (see {@link Slot}) needs nothing else.
   */
  find(id: object | string, key: unknown, shaped: boolean): Promise<unknown> | RunEntry | undefined {
    return this.findIn(shaped ? this.#shapedTables?.get(id) : this.#tables?.get(id), key);
  }

  /**
   * The table of a task's primitive keys while it has an entry. A table leaves the store with its last entry, so a
   * caller that keeps one must look again on a miss: a dropped table stays empty, and the task's entries go to a
   * new one.
   */
  tableOf(id: object | string): Map<unknown, Slot> | undefined {
    return this.#tables?.get(id);
  }

  /**
   * {@link ScopeStore.find} in a task's table, looked up by the caller ({@link ScopeStore.tableOf}) — a caller that
   * keeps the table saves a lookup per hit — or `undefined` if the task has none yet.
   */
  findIn(table: Map<unknown, Slot> | undefined, key: unknown): Promise<unknown> | RunEntry | undefined {
    // The time is looked at once, and only in scopes that have ttls at all.
    let now = NaN;
    if (this.nextSweepAt !== Infinity) {
      now = this.clock.coarseNow();
      if (now >= this.nextSweepAt) this.#sweep(now);
    }
    if (table === undefined) return undefined;
    const slot = table.get(key);
    // Until the scope keeps a completed entry as such, a slot is a bare result or a running entry: as it is.
    if (!this.#keepsEntries || !(slot instanceof RunEntry) || slot.run !== undefined) return slot;
    const expiresAt = slot.expiresAt;
    if (expiresAt !== undefined && (now === now ? now : this.clock.coarseNow()) >= expiresAt) {
      this.#remove(slot);
      return undefined;
    }
    // Only completed entries of a bounded scope are listed.
    if (this.bounded && (slot as ListedEntry).listed) this.#recency!.touch(slot as ListedEntry);
    return slot.promise;
  }

  /** Adds an entry and its run for a key that has none. */
  create(spec: TaskSpec<never>, key: unknown, shaped: boolean, input: unknown): RunEntry {
    const tables = shaped ? (this.#shapedTables ??= new Map()) : (this.#tables ??= new Map());
    let table = tables.get(spec.id);
    if (table === undefined) {
      table = new Map();
      tables.set(spec.id, table);
    }
    const entry = this.bounded ? new ListedEntry(spec, key, table, input) : new RunEntry(spec, key, table, input);
    table.set(key, entry);
    this.size++;
    if (++this.running === 1 && this.signal !== undefined) watchAbort(this.signal, this);
    if (this.size > this.maxEntries) this.#evictOverflow();
    return entry;
  }

  /** The body of a run resolved: the value is kept for the entry's ttl and handed to every caller. */
  succeed(run: Run, value: unknown): void {
    if (run.state !== RUNNING) return;
    run.state = SUCCEEDED;
    this.#stopRunning(run);
    this.#keep(run.entry);
    run.settleOk(value);
  }

  /**
   * The body of a run failed: every caller gets `error`; the entry is kept like a result only if its task caches
   * errors and the failure is not an abort.
   */
  fail(run: Run, error: unknown): void {
    if (run.state !== RUNNING) return;
    run.state = FAILED;
    const entry = run.entry;
    // An abort is an abort, whoever raised it: caching it would poison the scope as Vorma's cancel did.
    const cached = entry.spec.cacheErrors && !this.#isAbort(run, error);
    this.#stopRunning(run);
    if (cached) this.#keep(entry);
    else this.#remove(entry);
    run.settleFailed(error);
  }

  /**
   * Ends a run no one wants any more (or whose scope aborted): it leaves the cache before anything else can see
   * it, its body's signal aborts, the waits it started are left in turn — abandoning, iteratively, what no one else
   * waits for — and whoever still holds its promise gets `reason`.
   */
  abort(first: Run, reason: unknown): void {
    const pending = [first];
    for (let run = pending.pop(); run !== undefined; run = pending.pop()) {
      if (run.state !== RUNNING) continue;
      run.state = ABORTED;
      run.abortReason = reason;
      this.#remove(run.entry);
      const waits = run.waits;
      this.#stopRunning(run);
      run.abortSignal(reason);
      if (waits !== undefined) for (const waiter of waits) if (waiter.release(reason)) pending.push(waiter.run);
      run.settleFailed(reason);
    }
  }

  /** The scope's signal aborted: every running entry aborts with its reason. */
  onAbort(reason: unknown): void {
    const running: Run[] = [];
    for (const tables of [this.#tables, this.#shapedTables]) {
      if (tables === undefined) continue;
      for (const table of tables.values()) {
        for (const slot of table.values())
          if (slot instanceof RunEntry && slot.run !== undefined) running.push(slot.run);
      }
    }
    for (const run of running) this.abort(run, reason);
  }

  /** The scope ends: its running entries abort with `reason`, and its completed ones are dropped. */
  #dropAll(reason: unknown): void {
    this.onAbort(reason);
    for (const tables of [this.#tables, this.#shapedTables]) {
      if (tables === undefined) continue;
      // A store that drops its results keeps none bare: every slot is an entry.
      for (const table of tables.values()) for (const slot of table.values()) this.#remove(slot as RunEntry);
    }
  }

  /** A snapshot of the counters. */
  stats(): TaskScopeStats {
    const tables = (this.#tables?.size ?? 0) + (this.#shapedTables?.size ?? 0);
    return { entries: this.size, running: this.running, sweeps: this.sweeps, evictions: this.evictions, tables };
  }

  /**
   * Whether a failure is an abort rather than the task's own outcome: an `AbortError` or `TimeoutError`, or the
   * very reason a caller that left aborted with (a body that used that caller's signal, or threw its
   * `signal.reason`, fails with it while the run goes on for others). The scope's own reason needs no check:
   * its abort aborts every running entry at once, before any body can fail with it.
   */
  #isAbort(run: Run, error: unknown): boolean {
    if (typeof error === 'object' && error !== null && ABORT_NAMES.has((error as { name?: unknown }).name)) return true;
    return run.leftWith !== undefined && run.leftWith.includes(error);
  }

  /** The run is over: its entry lets it go (a completed entry is its promise), and so does the scope's watch. */
  #stopRunning(run: Run): void {
    run.entry.run = undefined;
    run.waits = undefined;
    run.leftWith = undefined;
    if (--this.running === 0 && this.signal !== undefined) unwatchAbort(this.signal, this);
  }

  /** A completed entry stays for its ttl (from now), joins the recency list, and the bound is enforced. */
  #keep(entry: RunEntry): void {
    const ttl = entry.spec.ttl ?? this.ttl;
    if (ttl === 0) {
      this.#remove(entry);
      return;
    }
    if (ttl === undefined && this.#keepsBare) {
      // Nothing can remove it any more: the table keeps its promise alone, and the entry goes.
      entry.home.set(entry.key, entry.promise);
      return;
    }
    this.#keepsEntries = true;
    if (ttl !== undefined) {
      // Completion is rare next to hits: always a fresh reading, so a ttl counts from the real completion time.
      const now = this.clock.now();
      entry.expiresAt = now + ttl;
      if (ttl < this.#sweepEvery) {
        if (this.#sweepEvery === Infinity) this.#lastSweep = now;
        this.#sweepEvery = ttl;
        this.nextSweepAt = this.#lastSweep + ttl;
      }
    }
    if (this.bounded) {
      this.#recency!.push(entry as ListedEntry);
      if (this.size > this.maxEntries) this.#evictOverflow();
    }
  }

  #remove(entry: RunEntry): void {
    const home = entry.home;
    if (home.get(entry.key) !== entry) return;
    home.delete(entry.key);
    this.size--;
    this.#recency?.remove(entry as ListedEntry);
    // An empty table goes: a long-lived scope would otherwise keep one per task it ever ran, however few it caches.
    if (home.size === 0) this.#dropTable(entry.spec.id, home);
  }

  #dropTable(id: object | string, table: Map<unknown, Slot>): void {
    if (this.#tables?.get(id) === table) this.#tables.delete(id);
    else if (this.#shapedTables?.get(id) === table) this.#shapedTables.delete(id);
  }

  #sweep(now: number): void {
    for (const tables of [this.#tables, this.#shapedTables]) {
      if (tables === undefined) continue;
      for (const table of tables.values()) {
        for (const slot of table.values()) {
          if (slot instanceof RunEntry && slot.expiresAt !== undefined && slot.expiresAt <= now) this.#remove(slot);
        }
      }
    }
    this.sweeps++;
    this.#lastSweep = now;
    this.nextSweepAt = now + this.#sweepEvery;
  }

  /** Least recently used completed entries go first; running entries are never evicted. */
  #evictOverflow(): void {
    while (this.size > this.maxEntries) {
      const oldest = this.#recency?.oldest;
      if (oldest === undefined) return;
      this.#remove(oldest);
      this.evictions++;
    }
  }
}

/** Names of the errors a signal aborts with when given no reason (`abort()`) and when it times out (`AbortSignal.timeout`). */
const ABORT_NAMES: ReadonlySet<unknown> = new Set(['AbortError', 'TimeoutError']);
