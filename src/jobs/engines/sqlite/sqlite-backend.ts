import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { ConfigurationError, messageOf, OrdoError } from '../../../errors/index.js';
import type { JobCounts, JobId, JobInfo, JobListQuery, JobPage } from '../../job-types.js';
import type { JobQueueSpec, JobsBackend, JobsBackendContext, JobsDrainReport, NewJob } from '../../jobs-backend.js';
import { JobStore } from './job-store.js';
import { migrate, SCHEMA_VERSION } from './schema.js';
import type { ResolvedSqliteOptions } from './sqlite-options.js';
import { startSweeper, type Sweeper } from './sweeper.js';
import { QueueWorker, type RunningJob } from './worker-loop.js';

/** How long, at least, the slots of cluster schedules are remembered: a day. */
const SLOT_MEMORY = 86_400_000;

/** The open connection and what runs on it. */
interface Opened {
  readonly db: Database.Database;
  readonly store: JobStore;
  readonly context: JobsBackendContext;
}

/**
 * The embedded engine: one SQLite file in WAL mode, shared safely by several processes, a lease-based table queue
 * (ordo_jobs, see schema.ts). Every statement is synchronous and short; none spans an await.
 */
export class SqliteJobsBackend implements JobsBackend {
  readonly engine = 'sqlite';
  readonly #options: ResolvedSqliteOptions;
  #opened: Opened | undefined;
  readonly #workers = new Map<string, QueueWorker>();
  #sweeper: Sweeper | undefined;
  #draining = false;

  constructor(options: ResolvedSqliteOptions) {
    this.#options = options;
  }

  async open(context: JobsBackendContext): Promise<void> {
    const { path, synchronous, busyTimeout } = this.#options;
    let db: Database.Database;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { timeout: busyTimeout });
    } catch (cause) {
      throw new ConfigurationError(
        'ORDO_INVALID_OPTION',
        `jobs.sqlite.path ${path}: the jobs database could not be opened: ${messageOf(cause)}`,
        { cause },
      );
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      db.pragma(`busy_timeout = ${Math.round(busyTimeout)}`);
      const found = migrate(db);
      if (found > SCHEMA_VERSION) {
        throw new ConfigurationError(
          'ORDO_INVALID_OPTION',
          `jobs.sqlite.path ${path}: the jobs database has schema version ${found}, newer than this Ordo's ` +
            `${SCHEMA_VERSION}; upgrade Ordo or use another file`,
        );
      }
      this.#opened = { db, store: new JobStore(db), context };
    } catch (error) {
      db.close();
      if (OrdoError.is(error)) throw error;
      throw new ConfigurationError(
        'ORDO_INVALID_OPTION',
        `jobs.sqlite.path ${path}: the jobs database could not be prepared: ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  /**
   * The connection's settings as SQLite reports them (`PRAGMA journal_mode`, `synchronous`, `busy_timeout`): for
   * diagnostics and tests.
   */
  readSettings(): { journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA'; busyTimeout: number } {
    const { db } = this.#use('readSettings');
    const synchronous = db.pragma('synchronous', { simple: true }) as number;
    return {
      journalMode: String(db.pragma('journal_mode', { simple: true })),
      synchronous: (['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[synchronous]!,
      busyTimeout: db.pragma('busy_timeout', { simple: true }) as number,
    };
  }

  async enqueue(job: NewJob): Promise<JobId> {
    const { store, context } = this.#use('enqueue');
    const id = store.enqueue(job, context.clock.now());
    this.#workers.get(job.name)?.wake();
    return id;
  }

  /**
   * The tick of a cluster schedule, once per (schedule, slot) across every process on the file; slots are remembered
   * for `keepCompleted`, at least a day, so a process that reaches a slot late (its event loop stalled) finds it taken.
   */
  async enqueueTick(
    job: NewJob,
    tick: { readonly schedule: string; readonly slot: number },
  ): Promise<JobId | undefined> {
    const { store, context } = this.#use('enqueueTick');
    const keepSlots = Math.max(this.#options.keepCompleted, SLOT_MEMORY);
    const id = store.enqueueTick(job, tick.schedule, tick.slot, context.clock.now(), keepSlots);
    if (id !== undefined) this.#workers.get(job.name)?.wake();
    return id;
  }

  async get(id: JobId): Promise<JobInfo | undefined> {
    const { store, context } = this.#use('get');
    return store.get(id, context.clock.now());
  }

  async list(query: Required<Pick<JobListQuery, 'limit'>> & Omit<JobListQuery, 'limit'>): Promise<JobPage> {
    const { store, context } = this.#use('list');
    return store.list(query, context.clock.now());
  }

  async counts(): Promise<JobCounts> {
    const { store, context } = this.#use('counts');
    return store.counts(context.clock.now());
  }

  async retry(id: JobId): Promise<boolean> {
    const { store, context } = this.#use('retry');
    const name = store.retry(id, context.clock.now());
    if (name === undefined) return false;
    this.#workers.get(name)?.wake();
    return true;
  }

  async cancel(id: JobId): Promise<boolean> {
    const { store, context } = this.#use('cancel');
    return store.cancel(id, context.clock.now());
  }

  async work(queues: readonly JobQueueSpec[]): Promise<void> {
    const { store, context } = this.#use('work');
    if (this.#draining) return;
    const { lease, pollInterval, keepCompleted } = this.#options;
    for (const spec of queues) {
      const worker = new QueueWorker(spec, {
        store,
        clock: context.clock,
        logger: context.logger,
        lease,
        pollInterval,
      });
      this.#workers.set(spec.name, worker);
      worker.wake();
    }
    this.#sweeper = startSweeper(context.clock, keepCompleted, (before) => store.sweep(before), context.logger);
  }

  async drain(deadline: number): Promise<JobsDrainReport> {
    if (this.#draining || this.#opened === undefined) return { drained: 0, returned: 0, abandoned: [] };
    this.#draining = true;
    const { store, context } = this.#opened;
    this.#sweeper?.stop();
    for (const worker of this.#workers.values()) worker.stop();
    const running = [...this.#workers.values()].flatMap((worker) => worker.running);
    await settleUntil(context, deadline, running);

    const left = running.filter((run) => !run.settled);
    for (const run of left) run.giveBack();
    try {
      store.giveBack(left.map((run) => ({ id: run.rowId, token: run.token })));
    } catch (err) {
      context.logger.error({ err }, 'sqlite jobs: the jobs running at the drain deadline could not be given back');
    }
    const reason = new OrdoError('ORDO_STOPPED', 'the jobs engine stopped: the drain deadline passed');
    for (const run of left) run.controller.abort(reason);
    // A handler that honours its signal settles within a turn; nothing waits longer than that past the deadline.
    if (left.length > 0) await Promise.race([Promise.all(left.map((run) => run.done)), nextTurn()]);
    return {
      drained: running.length - left.length,
      returned: left.length,
      abandoned: left.filter((run) => !run.settled).map((run) => run.job),
    };
  }

  async close(): Promise<void> {
    this.#draining = true;
    this.#sweeper?.stop();
    for (const worker of this.#workers.values()) worker.close();
    this.#opened?.db.close();
    this.#opened = undefined;
  }

  #use(operation: string): Opened {
    if (this.#opened === undefined) {
      throw new OrdoError('ORDO_INVALID_STATE', `the sqlite jobs backend is not open (${operation}() was called)`);
    }
    return this.#opened;
  }
}

/** Waits until every run settled or the deadline passed on the Clock, whichever is first; never past it. */
async function settleUntil(
  context: JobsBackendContext,
  deadline: number,
  running: readonly RunningJob[],
): Promise<void> {
  if (running.length === 0) return;
  const wait = deadline - context.clock.now();
  if (wait <= 0) return;
  let timer: { cancel(): void } | undefined;
  await Promise.race([
    Promise.all(running.map((run) => run.done)),
    new Promise<void>((resolve) => (timer = context.clock.setTimer(wait, resolve))),
  ]);
  timer?.cancel();
}
