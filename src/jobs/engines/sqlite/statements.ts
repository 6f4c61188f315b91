import type { Database, Statement } from 'better-sqlite3';
import { EFFECTIVE_STATE, type JobRow } from './job-rows.js';

/** What a claim returns of each job it took. */
export interface ClaimedRow {
  readonly id: number;
  readonly name: string;
  readonly payload: string;
  readonly attempts: number;
  readonly max_attempts: number;
  readonly enqueued_at: number;
  readonly run_at: number;
}

/**
 * The claim: one UPDATE over the due jobs of one name, oldest `run_at` first, through `ordo_jobs_due`, whose
 * columns are the WHERE's equality then the ORDER BY (so SQLite walks the index and sorts nothing). Run inside
 * `BEGIN IMMEDIATE` after the lease reaper. RETURNING does not keep the ORDER BY: callers sort.
 */
export const CLAIM_SQL = `
  UPDATE ordo_jobs
     SET state = 'running', lease_until = :leaseUntil, claim_token = :token, started_at = :now
   WHERE id IN (SELECT id FROM ordo_jobs
                 WHERE name = :name AND state IN ('pending', 'delayed') AND run_at <= :now
                 ORDER BY run_at, id
                 LIMIT :limit)
  RETURNING id, name, payload, attempts, max_attempts, enqueued_at, run_at`;

/** Every statement of the engine, prepared once per connection. */
export class Statements {
  readonly insert: Statement;
  readonly liveByKey: Statement;
  readonly byId: Statement;
  readonly list: Statement;
  readonly counts: Statement;
  readonly reapLapsedLeases: Statement;
  readonly claim: Statement;
  readonly renew: Statement;
  readonly complete: Statement;
  readonly fail: Statement;
  readonly giveBack: Statement;
  readonly nextDue: Statement;
  readonly retry: Statement;
  readonly cancel: Statement;
  readonly sweep: Statement;
  readonly takeSlot: Statement;
  readonly slotJob: Statement;
  readonly forgetSlots: Statement;

  constructor(db: Database) {
    this.insert = db.prepare(`
      INSERT INTO ordo_jobs (name, payload, key, state, max_attempts, enqueued_at, run_at)
      VALUES (:name, :payload, :key, :state, :maxAttempts, :enqueuedAt, :runAt)
      ON CONFLICT DO NOTHING
      RETURNING id`);
    this.liveByKey = db.prepare(`
      SELECT id FROM ordo_jobs
       WHERE name = :name AND key = :key AND state IN ('pending', 'delayed', 'running')`);
    this.byId = db.prepare('SELECT * FROM ordo_jobs WHERE id = ?');
    this.list = db.prepare(`
      SELECT * FROM ordo_jobs
       WHERE id > :after AND (:name IS NULL OR name = :name) AND (:state IS NULL OR ${EFFECTIVE_STATE} = :state)
       ORDER BY id
       LIMIT :limit`);
    this.counts = db.prepare(`SELECT ${EFFECTIVE_STATE} AS state, count(*) AS count FROM ordo_jobs GROUP BY 1`);
    this.reapLapsedLeases = db.prepare(`
      UPDATE ordo_jobs SET state = 'pending', lease_until = NULL, claim_token = NULL, started_at = NULL
       WHERE state = 'running' AND lease_until <= :now
      RETURNING id, name`);
    this.claim = db.prepare(CLAIM_SQL);
    this.renew = db.prepare('UPDATE ordo_jobs SET lease_until = :leaseUntil WHERE id = :id AND claim_token = :token');
    this.complete = db.prepare(`
      UPDATE ordo_jobs
         SET state = 'completed', attempts = attempts + 1, finished_at = :now, lease_until = NULL, claim_token = NULL,
             history = json_insert(history, '$[#]', json(:entry))
       WHERE id = :id AND claim_token = :token`);
    this.fail = db.prepare(`
      UPDATE ordo_jobs
         SET state = :state, attempts = attempts + 1, run_at = coalesce(:runAt, run_at), finished_at = :finishedAt, last_error = :error,
             lease_until = NULL, claim_token = NULL, history = json_insert(history, '$[#]', json(:entry))
       WHERE id = :id AND claim_token = :token`);
    this.giveBack = db.prepare(`
      UPDATE ordo_jobs SET state = 'pending', lease_until = NULL, claim_token = NULL, started_at = NULL
       WHERE state = 'running'
         AND (id, claim_token) IN (SELECT value ->> 0, value ->> 1 FROM json_each(:claims))`);
    this.nextDue = db.prepare(`
      SELECT min(run_at) AS next FROM ordo_jobs WHERE name = :name AND state IN ('pending', 'delayed')`);
    this.retry = db.prepare(`
      UPDATE ordo_jobs SET state = 'pending', attempts = 0, run_at = :now, finished_at = NULL, last_error = NULL
       WHERE id = :id AND state = 'dead'
      RETURNING name`);
    this.cancel = db.prepare(`
      UPDATE ordo_jobs SET state = 'dead', last_error = 'cancelled', finished_at = :now
       WHERE id = :id AND state IN ('pending', 'delayed')`);
    this.sweep = db.prepare(`DELETE FROM ordo_jobs WHERE state = 'completed' AND finished_at <= :before`);
    this.takeSlot = db.prepare(`
      INSERT INTO ordo_schedule_slots (schedule, slot, job_id) VALUES (:schedule, :slot, 0) ON CONFLICT DO NOTHING`);
    this.slotJob = db.prepare(
      'UPDATE ordo_schedule_slots SET job_id = :jobId WHERE schedule = :schedule AND slot = :slot',
    );
    this.forgetSlots = db.prepare('DELETE FROM ordo_schedule_slots WHERE schedule = :schedule AND slot < :before');
  }
}

export type { JobRow };
