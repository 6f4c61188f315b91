import { SilentLogger, VirtualClock } from '../../../src/index.js';
import type { JobsBackend, NewJob } from '../../../src/jobs/internal.js';
import { Handler, queueSpec } from '../contract/contract-runs.js';
import { sqliteBackend, temporaryFolder } from './sqlite-harness.js';

const NAME = 'wakeups.email';

describe('when SQLite workers look for jobs', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  let clock: VirtualClock;
  let opened: JobsBackend[];

  beforeEach(() => {
    folder = temporaryFolder();
    clock = new VirtualClock();
    opened = [];
  });

  afterEach(async () => {
    for (const backend of opened) {
      await backend.drain(clock.now());
      await backend.close();
    }
    folder.dispose();
  });

  async function backend(pollInterval: string): Promise<JobsBackend> {
    const made = sqliteBackend(folder.file(), { pollInterval });
    await made.open({ clock, logger: new SilentLogger() });
    opened.push(made);
    return made;
  }

  function job(overrides: Partial<NewJob> = {}): NewJob {
    return { name: NAME, payload: '{}', runAt: clock.now(), enqueuedAt: clock.now(), maxAttempts: 3, ...overrides };
  }

  it('runs a delayed job at its runAt, not at the next poll', async () => {
    const jobs = await backend('1h');
    const handler = new Handler();
    await jobs.enqueue(job({ runAt: clock.now() + 5_000 }));
    await jobs.work([queueSpec(NAME, handler)]);

    await clock.advance(4_999);
    const early = handler.runs.length;
    await clock.advance(1);

    expect({ early, runs: handler.runs.length }).toEqual({ early: 0, runs: 1 });
  });

  it('re-arms for a job enqueued with an earlier runAt than the one it waits for', async () => {
    const jobs = await backend('1h');
    const handler = new Handler();
    await jobs.enqueue(job({ runAt: clock.now() + 50_000 }));
    await jobs.work([queueSpec(NAME, handler)]);
    await clock.advance(0);

    const soon = await jobs.enqueue(job({ runAt: clock.now() + 2_000 }));
    await clock.advance(2_000);

    expect(handler.ids).toEqual([soon]);
  });

  it("finds another process's job at its next poll, not before", async () => {
    const worker = await backend('10s');
    const other = await backend('10s');
    const handler = new Handler();
    await worker.work([queueSpec(NAME, handler)]);
    await clock.advance(1_000);

    await other.enqueue(job());
    await clock.advance(8_999);
    const beforePoll = handler.runs.length;
    await clock.advance(1);

    expect({ beforePoll, runs: handler.runs.length }).toEqual({ beforePoll: 0, runs: 1 });
  });

  it('refuses to retry a dead job while another live job holds its key', async () => {
    const jobs = await backend('1s');
    const dead = await jobs.enqueue(job({ key: 'k' }));
    await jobs.cancel(dead);
    const live = await jobs.enqueue(job({ key: 'k' }));

    const retried = await jobs.retry(dead);

    expect({ retried, dead: (await jobs.get(dead))?.state, live: (await jobs.get(live))?.state }).toEqual({
      retried: false,
      dead: 'dead',
      live: 'pending',
    });
  });
});
