import type { Duration } from '../time/index.js';
import type { JobsBackend } from './jobs-backend.js';

/**
 * Options of the embedded engine: one SQLite file through better-sqlite3 12 (an optional peer dependency), in WAL
 * mode. Several processes may share the file.
 */
export interface SqliteJobsOptions {
  /** The database file, created with its folder when missing. @default '.ordo/jobs.db' */
  path?: string;
  /**
   * SQLite's `synchronous` setting: `'FULL'` syncs every commit, so an enqueued job survives a power loss;
   * `'NORMAL'` is several times faster and may lose the last commits on a power loss (not on a crash).
   * @default 'FULL'
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** How often workers look for jobs another process added (this process's own enqueues wake them at once). @default '1s' */
  pollInterval?: Duration;
  /** How long a claim holds before another worker may take the job; renewed at a third of it while it runs. @default '30s' */
  lease?: Duration;
  /** How long a statement waits for another process's write lock before failing. @default '5s' */
  busyTimeout?: Duration;
}

/** Where the BullMQ engine finds Redis: a `redis://` URL, or ioredis connection options. */
export type BullmqConnection =
  | string
  | {
      readonly host?: string;
      readonly port?: number;
      readonly username?: string;
      readonly password?: string;
      readonly db?: number;
      readonly [option: string]: unknown;
    };

/** Options of the distributed engine: BullMQ 6 on Redis through ioredis (both optional peer dependencies). */
export interface BullmqJobsOptions {
  connection: BullmqConnection;
  /** The prefix of every key BullMQ writes. @default 'ordo' */
  prefix?: string;
  /** BullMQ's `lockDuration`: how long a claim holds; renewed at half of it while the job runs. @default '30s' */
  lockDuration?: Duration;
  /** BullMQ's `stalledInterval`: how often workers look for jobs whose lock expired. @default '30s' */
  stalledInterval?: Duration;
}

/**
 * The `jobs` option of `Ordo.create()`: which engine holds the app's `@Job`s, and what both engines share. Give at
 * most one of `sqlite`, `bullmq` and `backend`; with none, the SQLite engine runs on `.ordo/jobs.db`. Handlers and callers
 * are the same whichever engine runs them.
 *
 * @example
 * ```ts
 * await Ordo.create(AppModule, { jobs: { sqlite: { path: 'data/jobs.db' } } });
 * await Ordo.create(AppModule, { jobs: { bullmq: { connection: process.env.REDIS_URL! } } });
 * ```
 */
export interface JobsOptions {
  sqlite?: SqliteJobsOptions;
  bullmq?: BullmqJobsOptions;
  /**
   * An engine of your own (or a test double), instead of `sqlite` or `bullmq`: an object implementing the engine
   * contract, `JobsBackend`, which the shared contract suite checks. Experimental: the contract may still change.
   */
  backend?: JobsBackend;
  /** How long completed jobs are kept (for `get` and `list`) before they are removed. @default '1d' */
  keepCompleted?: Duration;
  /** The largest payload accepted, in bytes of its JSON text. @default 262144 (256 KiB) */
  maxPayloadBytes?: number;
}
