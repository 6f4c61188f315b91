import Database from 'better-sqlite3';
import { VirtualClock } from '../../../src/index.js';
import type { JobsBackend } from '../../../src/jobs/internal.js';
import { Handler, queueSpec, RecordingLogger } from '../contract/contract-runs.js';
import { sqliteBackend, temporaryFolder } from './sqlite-harness.js';

const NAME = 'leases.email';
const LEASE = 30_000;

describe('the lease of a running SQLite job', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  let clock: VirtualClock;
  let logger: RecordingLogger;
  let jobs: JobsBackend;
  let handler: Handler;
  let id: string;

  beforeEach(async () => {
    folder = temporaryFolder();
    clock = new VirtualClock();
    logger = new RecordingLogger();
    jobs = sqliteBackend(folder.file(), { lease: LEASE });
    await jobs.open({ clock, logger });
    handler = new Handler();
    id = await jobs.enqueue({ name: NAME, payload: '{}', runAt: clock.now(), enqueuedAt: clock.now(), maxAttempts: 3 });
    await jobs.work([queueSpec(NAME, handler)]);
    await clock.advance(0);
  });

  afterEach(async () => {
    await jobs.drain(clock.now());
    await jobs.close();
    folder.dispose();
  });

  /** Runs `sql` on a connection of its own, as another process would. */
  function elsewhere<T>(sql: string, ...params: unknown[]): T {
    const db = new Database(folder.file());
    try {
      return db.prepare(sql).get(...params) as T;
    } finally {
      db.close();
    }
  }

  it('is renewed at a third of its length, to a full lease from then', async () => {
    const claimedAt = clock.now();

    await clock.advance(LEASE / 3);

    expect(elsewhere('SELECT lease_until FROM ordo_jobs WHERE id = ?', Number(id))).toEqual({
      lease_until: claimedAt + LEASE / 3 + LEASE,
    });
  });

  it("aborts the run's signal when a renewal finds the claim taken over, and logs it", async () => {
    elsewhere("UPDATE ordo_jobs SET claim_token = 'someone else' WHERE id = ? RETURNING id", Number(id));

    await clock.advance(LEASE / 3);

    expect({ aborted: handler.runs[0]!.signal.aborted, logged: logger.complainedAbout(id) }).toEqual({
      aborted: true,
      logged: true,
    });
  });
});
