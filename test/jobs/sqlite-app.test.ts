import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Component, Job, Jobs, type App, type JobContext, type VirtualClock } from '../../src/index.js';
import { appOf, deferred, Journal } from '../support/app-fixtures.js';

/** End to end: Ordo.create with the SQLite engine on a temporary file, on a VirtualClock. */
describe('an app whose jobs run on SQLite', () => {
  let folder: string;
  let app: App | undefined;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'ordo-jobs-app-'));
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  async function create(classes: Array<new (...args: never[]) => unknown>, journal = new Journal()) {
    const made = await appOf(classes, {
      journal,
      shutdownTimeout: '10s',
      jobs: { sqlite: { path: join(folder, 'jobs.db'), pollInterval: '1s' } },
    });
    app = made.app;
    return made;
  }

  /** Advances in small steps until `check` holds, for at most `within` of virtual time. */
  async function until(clock: VirtualClock, check: () => boolean | Promise<boolean>, within = 5_000): Promise<void> {
    for (let passed = 0; passed <= within; passed += 100) {
      if (await check()) return;
      await clock.advance(100);
    }
    throw new Error('the condition never held');
  }

  it('stores a job enqueued in a request and runs its handler once the app started', async () => {
    @Component()
    class Mailer {
      constructor(private readonly journal: Journal) {}
      @Job('send-email')
      async send(payload: { to: string }, { attempt }: JobContext): Promise<void> {
        this.journal.record(`sent:${payload.to}:${attempt}`);
      }
    }
    const { app, clock, journal } = await create([Mailer]);

    const id = await app.runInScope(() => app.get(Jobs).enqueue('send-email', { to: 'a@example.com' }));
    const before = (await app.get(Jobs).get(id))?.state;
    await app.start();
    await until(clock, () => journal.entries.length > 0);

    expect(before).toBe('pending');
    expect(journal.entries).toEqual(['sent:a@example.com:1']);
    await until(clock, async () => (await app.get(Jobs).get(id))?.state === 'completed');
  });

  it('retries a failing job after its backoff on the Clock, and it is dead after its attempts', async () => {
    const attempts: number[] = [];
    @Component()
    class Mailer {
      @Job('send-email', { attempts: 3, backoff: { type: 'fixed', delay: '1m' } })
      async send(_payload: unknown, { attempt }: JobContext): Promise<void> {
        attempts.push(attempt);
        throw new Error(`provider down (${attempt})`);
      }
    }
    const { app, clock } = await create([Mailer]);
    await app.start();
    const jobs = app.get(Jobs);
    const id = await jobs.enqueue('send-email', {});
    await until(clock, () => attempts.length === 1);

    await clock.advance('59s');
    const beforeBackoff = attempts.length;
    await until(clock, () => attempts.length === 2, 2_000);
    await clock.advance('1m');
    await until(clock, async () => (await jobs.get(id))?.state === 'dead');

    const info = await jobs.get(id);
    expect(beforeBackoff).toBe(1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(info).toMatchObject({ state: 'dead', attempts: 3, lastError: 'provider down (3)' });
    expect(info!.history.map((attempt) => attempt.error)).toEqual([
      'provider down (1)',
      'provider down (2)',
      'provider down (3)',
    ]);
    await expect(jobs.counts()).resolves.toMatchObject({ dead: 1 });
  });

  it('returns a job running at stop to pending, its attempt not counted, once the drain deadline passed', async () => {
    const running = deferred<void>();
    @Component()
    class Slow {
      @Job('slow')
      slow(_payload: unknown, { signal }: JobContext): Promise<void> {
        running.resolve();
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
    }
    const { app, clock } = await create([Slow]);
    await app.start();
    const id = await app.get(Jobs).enqueue('slow', {});
    await until(clock, async () => (await app.get(Jobs).get(id))?.state === 'running');
    await running.promise;

    const stopping = app.stop();
    await clock.advance('10s');
    const report = await stopping;

    expect(report).toMatchObject({ ok: true, problems: [] });
    await reopened(id, { state: 'pending', attempts: 0 });
  });

  /** Reads the job through a second app on the same file: the first one closed its store when it stopped. */
  async function reopened(id: string, expected: object): Promise<void> {
    const reading = await appOf([Reader], { jobs: { sqlite: { path: join(folder, 'jobs.db') } } });
    try {
      expect(await reading.app.get(Jobs).get(id)).toMatchObject(expected);
    } finally {
      await reading.app.stop();
    }
  }
});

/** A class with a @Job, so that an app reading the file loads the engine. */
@Component()
class Reader {
  @Job('reader')
  async read(): Promise<void> {}
}
