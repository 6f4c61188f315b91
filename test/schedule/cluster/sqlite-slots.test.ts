import Database from 'better-sqlite3';
import { SilentLogger, VirtualClock } from '../../../src/index.js';
import type { JobsBackend, NewJob } from '../../../src/jobs/internal.js';
import { sqliteBackend, temporaryFolder } from '../../jobs/sqlite/sqlite-harness.js';

const DAY = 86_400_000;

describe("the SQLite engine's ticks of cluster schedules", () => {
  let folder: ReturnType<typeof temporaryFolder>;
  const clock = new VirtualClock();
  const opened: JobsBackend[] = [];

  beforeEach(() => {
    folder = temporaryFolder();
  });

  afterEach(async () => {
    for (const backend of opened.splice(0)) await backend.close();
    folder.dispose();
  });

  async function backend(): Promise<JobsBackend> {
    const made = sqliteBackend(folder.file(), { synchronous: 'NORMAL' }, 3_600_000);
    await made.open({ clock, logger: new SilentLogger() });
    opened.push(made);
    return made;
  }

  function tick(schedule: string): NewJob {
    const now = clock.now();
    return { name: `ordo.schedule:${schedule}`, payload: '{}', runAt: now, enqueuedAt: now, maxAttempts: 1 };
  }

  function jobCount(): number {
    const reader = new Database(folder.file());
    try {
      return (reader.prepare('SELECT count(*) AS count FROM ordo_jobs').get() as { count: number }).count;
    } finally {
      reader.close();
    }
  }

  it('adds one job for a slot that two processes reach', async () => {
    const [first, second] = [await backend(), await backend()];
    const slot = clock.now();

    const ids = [
      await first.enqueueTick!(tick('rollup'), { schedule: 'rollup', slot }),
      await second.enqueueTick!(tick('rollup'), { schedule: 'rollup', slot }),
    ];

    expect({ ids, jobs: jobCount() }).toEqual({ ids: [expect.any(String), undefined], jobs: 1 });
  });

  it('adds a job for each slot and each schedule', async () => {
    const store = await backend();
    const slot = clock.now();

    const ids = [
      await store.enqueueTick!(tick('rollup'), { schedule: 'rollup', slot }),
      await store.enqueueTick!(tick('rollup'), { schedule: 'rollup', slot: slot + 60_000 }),
      await store.enqueueTick!(tick('report'), { schedule: 'report', slot }),
    ];

    expect(new Set(ids).size).toBe(3);
  });

  it('keeps a slot taken once its job finished, so a late process does not run it again', async () => {
    const store = await backend();
    const slot = clock.now();
    const id = await store.enqueueTick!(tick('rollup'), { schedule: 'rollup', slot });
    await store.cancel(id!);

    const again = await store.enqueueTick!(tick('rollup'), { schedule: 'rollup', slot });

    expect(again).toBeUndefined();
  });

  it('forgets the slots of a schedule older than a day, as it takes a new one', async () => {
    const store = await backend();
    const slot = clock.now();
    await store.enqueueTick!(tick('rollup'), { schedule: 'rollup', slot });
    await store.enqueueTick!(tick('rollup'), { schedule: 'rollup', slot: slot + DAY + 1 });

    const again = await store.enqueueTick!(tick('rollup'), { schedule: 'rollup', slot });

    expect(again).toEqual(expect.any(String));
  });
});
