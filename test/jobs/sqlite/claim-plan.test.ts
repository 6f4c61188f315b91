import Database from 'better-sqlite3';
import { CLAIM_SQL, migrate } from '../../../src/jobs/engines/sqlite/index.js';

/** The lines of SQLite's query plan for `sql`, bound with `params`. */
function planOf(db: Database.Database, sql: string, params: Record<string, unknown>): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((row) => row.detail);
}

describe('the SQLite claim statement', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    migrate(db);
  });

  afterEach(() => db.close());

  const params = { name: 'email', now: 1_000, leaseUntil: 31_000, token: 't', limit: 8 };

  it('finds due jobs through the index that matches its ORDER BY', () => {
    const plan = planOf(db, CLAIM_SQL, params);

    expect(plan.some((line) => line.includes('USING INDEX ordo_jobs_due'))).toBe(true);
  });

  it('sorts nothing: no temporary B-tree for the ORDER BY', () => {
    const plan = planOf(db, CLAIM_SQL, params);

    expect(plan.filter((line) => line.includes('TEMP B-TREE'))).toEqual([]);
  });

  it('keeps the same plan with many jobs in the table', () => {
    const insert = db.prepare(
      "INSERT INTO ordo_jobs (name, payload, state, max_attempts, enqueued_at, run_at) VALUES (?, '{}', ?, 3, 0, ?)",
    );
    for (let i = 0; i < 2_000; i++)
      insert.run(i % 2 === 0 ? 'email' : 'report', i % 3 === 0 ? 'completed' : 'pending', i);
    db.exec('ANALYZE');

    const plan = planOf(db, CLAIM_SQL, params);

    expect({
      index: plan.some((line) => line.includes('USING INDEX ordo_jobs_due')),
      sorts: plan.filter((line) => line.includes('TEMP B-TREE')),
    }).toEqual({ index: true, sorts: [] });
  });
});
