import type { Database } from 'better-sqlite3';

/**
 * The store's schema, as migrations from version 1: `migrations[n - 1]` takes a store from version n - 1 to n. A
 * store records its version in `ordo_schema`; opening applies the missing migrations in one transaction.
 */
const MIGRATIONS: readonly string[] = [
  // 1: the jobs table, its live-key uniqueness and the indexes of the claim, the lease reaper and the sweeper.
  `
  CREATE TABLE ordo_jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    key          TEXT,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'delayed', 'running', 'completed', 'dead')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    enqueued_at  INTEGER NOT NULL,
    run_at       INTEGER NOT NULL,
    lease_until  INTEGER,
    claim_token  TEXT,
    started_at   INTEGER,
    finished_at  INTEGER,
    last_error   TEXT,
    history      TEXT    NOT NULL DEFAULT '[]'
  );
  CREATE UNIQUE INDEX ordo_jobs_live_key ON ordo_jobs (name, key)
    WHERE key IS NOT NULL AND state IN ('pending', 'delayed', 'running');
  CREATE INDEX ordo_jobs_due ON ordo_jobs (name, run_at, id) WHERE state IN ('pending', 'delayed');
  CREATE INDEX ordo_jobs_leases ON ordo_jobs (lease_until) WHERE state = 'running';
  CREATE INDEX ordo_jobs_finished ON ordo_jobs (finished_at) WHERE state = 'completed';
  CREATE INDEX ordo_jobs_states ON ordo_jobs (state, name);
  `,
  // 2: the slots of cluster-once schedules: one row per (schedule, slot), written with the tick's job.
  `
  CREATE TABLE ordo_schedule_slots (
    schedule TEXT    NOT NULL,
    slot     INTEGER NOT NULL,
    job_id   INTEGER NOT NULL,
    PRIMARY KEY (schedule, slot)
  ) WITHOUT ROWID;
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the store to {@link SCHEMA_VERSION}; returns the version it found. A store newer than this code is left
 * alone and reported by the caller.
 */
export function migrate(db: Database): number {
  return db
    .transaction((): number => {
      db.exec('CREATE TABLE IF NOT EXISTS ordo_schema (version INTEGER NOT NULL)');
      const row = db.prepare('SELECT max(version) AS version FROM ordo_schema').get() as { version: number | null };
      const found = row.version ?? 0;
      for (let version = found + 1; version <= SCHEMA_VERSION; version++) {
        db.exec(MIGRATIONS[version - 1]!);
        db.prepare('INSERT INTO ordo_schema (version) VALUES (?)').run(version);
      }
      return found;
    })
    .immediate();
}
