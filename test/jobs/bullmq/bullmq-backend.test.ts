import { SilentLogger, SystemClock } from '../../../src/index.js';
import type { BullmqBackend } from '../../../src/jobs/engines/bullmq/bullmq-backend.js';
import { createBackend } from '../../../src/jobs/engines/bullmq/index.js';
import { requireRedis } from '../../support/services.js';
import { BullmqFixture, eventually, spec } from './bullmq-fixtures.js';

const redis = await requireRedis();

redis.describe('the BullMQ engine', () => {
  let fixture: BullmqFixture;
  beforeEach(() => {
    fixture = new BullmqFixture(redis.url);
  });
  afterEach(async () => {
    await fixture.cleanUp();
  });

  it('stores a due job as pending with its payload, key and instants', async () => {
    const backend = await fixture.backend();
    const job = fixture.newJob('mail', { to: 'a@b.c' }, { key: 'k1' });

    const id = await backend.enqueue(job);

    expect(await backend.get(id)).toMatchObject({
      id,
      name: 'mail',
      state: 'pending',
      payload: { to: 'a@b.c' },
      key: 'k1',
      attempts: 0,
      maxAttempts: 3,
      enqueuedAt: job.enqueuedAt,
      runAt: job.runAt,
      history: [],
    });
  });

  it('stores a job due later as delayed', async () => {
    const backend = await fixture.backend();

    const id = await backend.enqueue(fixture.newJob('mail', {}, { runAt: fixture.clock.now() + 60_000 }));

    expect((await backend.get(id))?.state).toBe('delayed');
  });

  it('gives ids that name the queue, so jobs of two names never share one', async () => {
    const backend = await fixture.backend();

    const ids = [await backend.enqueue(fixture.newJob('a')), await backend.enqueue(fixture.newJob('b'))];

    expect(ids).toEqual(['a:1', 'b:1']);
    expect((await backend.get('b:1'))?.name).toBe('b');
  });

  it('keeps job names with colons apart from the id', async () => {
    const backend = await fixture.backend();

    const id = await backend.enqueue(fixture.newJob('mail:send'));

    expect((await backend.get(id))?.name).toBe('mail:send');
  });

  it('returns the live job for the same name and key, and adds a new one once it completed', async () => {
    const backend = await fixture.backend();
    const first = await backend.enqueue(fixture.newJob('mail', { n: 1 }, { key: 'k' }));
    const again = await backend.enqueue(fixture.newJob('mail', { n: 2 }, { key: 'k' }));
    await backend.work([spec('mail', async () => {})]);
    await eventually(async () => (await backend.get(first))?.state === 'completed');

    const after = await backend.enqueue(fixture.newJob('mail', { n: 3 }, { key: 'k' }));

    expect(again).toBe(first);
    expect(after).not.toBe(first);
  });

  it('runs a job and records it completed with its one attempt', async () => {
    const backend = await fixture.backend();
    const seen: unknown[] = [];
    const id = await backend.enqueue(fixture.newJob('mail', { n: 1 }));

    await backend.work([spec('mail', async (job) => void seen.push([job.id, job.payload, job.attempt]))]);
    const info = await eventually(async () => {
      const got = await backend.get(id);
      return got?.state === 'completed' && got;
    });

    expect(seen).toEqual([[id, { n: 1 }, 1]]);
    expect(info).toMatchObject({ attempts: 1, finishedAt: expect.any(Number) });
    expect(info.history).toEqual([{ attempt: 1, startedAt: expect.any(Number), finishedAt: info.finishedAt }]);
  });

  it('delays a failed attempt by the spec backoff and reports the error', async () => {
    const backend = await fixture.backend();
    const id = await backend.enqueue(fixture.newJob('mail'));
    const before = fixture.clock.now();

    await backend.work([spec('mail', async () => Promise.reject(new Error('smtp down')), { backoff: () => 60_000 })]);
    const info = await eventually(async () => {
      const got = await backend.get(id);
      return got?.state === 'delayed' && got;
    });

    expect(info).toMatchObject({ attempts: 1, lastError: 'smtp down' });
    expect(info.runAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(info.history).toEqual([
      { attempt: 1, startedAt: expect.any(Number), finishedAt: expect.any(Number), error: 'smtp down' },
    ]);
  });

  it('makes a job dead after its last attempt, with every attempt in its history', async () => {
    const backend = await fixture.backend();
    let attempt = 0;
    const id = await backend.enqueue(fixture.newJob('mail', {}, { maxAttempts: 2 }));

    await backend.work([spec('mail', async () => Promise.reject(new Error(`failure ${++attempt}`)), { attempts: 2 })]);
    const info = await eventually(async () => {
      const got = await backend.get(id);
      return got?.state === 'dead' && got;
    });

    expect(info).toMatchObject({ attempts: 2, lastError: 'failure 2', finishedAt: expect.any(Number) });
    expect(info.history.map((entry) => [entry.attempt, entry.error])).toEqual([
      [1, 'failure 1'],
      [2, 'failure 2'],
    ]);
  });

  it('makes a dead job pending again with its attempts reset', async () => {
    const backend = await fixture.backend();
    const id = await backend.enqueue(fixture.newJob('mail', {}, { maxAttempts: 1 }));
    await backend.work([spec('mail', async () => Promise.reject(new Error('no')), { attempts: 1 })]);
    await eventually(async () => (await backend.get(id))?.state === 'dead');
    await backend.drain(fixture.clock.now() + 1_000);

    const retried = await backend.retry(id);

    expect(retried).toBe(true);
    expect(await backend.get(id)).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await backend.get(id))?.lastError).toBeUndefined();
  });

  it('refuses to retry a job that is not dead', async () => {
    const backend = await fixture.backend();
    const id = await backend.enqueue(fixture.newJob('mail'));

    expect(await backend.retry(id)).toBe(false);
    expect(await backend.retry('mail:999')).toBe(false);
  });

  it('cancels a pending job into dead with the reason "cancelled", and frees its key', async () => {
    const backend = await fixture.backend();
    const id = await backend.enqueue(fixture.newJob('mail', {}, { key: 'k' }));

    const cancelled = await backend.cancel(id);
    const next = await backend.enqueue(fixture.newJob('mail', {}, { key: 'k' }));

    expect(cancelled).toBe(true);
    expect(await backend.get(id)).toMatchObject({
      state: 'dead',
      lastError: 'cancelled',
      finishedAt: expect.any(Number),
    });
    expect(next).not.toBe(id);
  });

  it('cancels a delayed job, and refuses a dead or unknown one', async () => {
    const backend = await fixture.backend();
    const id = await backend.enqueue(fixture.newJob('mail', {}, { runAt: fixture.clock.now() + 60_000 }));

    expect(await backend.cancel(id)).toBe(true);
    expect(await backend.cancel(id)).toBe(false);
    expect(await backend.cancel('mail:999')).toBe(false);
    expect(await backend.cancel('no-colon')).toBe(false);
  });

  it('counts the jobs of every name in each state', async () => {
    const backend = await fixture.backend();
    await backend.enqueue(fixture.newJob('a'));
    await backend.enqueue(fixture.newJob('b'));
    await backend.enqueue(fixture.newJob('b', {}, { runAt: fixture.clock.now() + 60_000 }));
    await backend.cancel(await backend.enqueue(fixture.newJob('a')));

    expect(await backend.counts()).toEqual({ pending: 2, delayed: 1, running: 0, completed: 0, dead: 1 });
  });

  it('lists jobs of every name in enqueue order, a page at a time', async () => {
    const backend = await fixture.backend();
    const ids: string[] = [];
    for (const name of ['a', 'b', 'a', 'c', 'b']) ids.push(await backend.enqueue(fixture.newJob(name)));

    const first = await backend.list({ limit: 2 });
    const second = await backend.list({ limit: 2, cursor: first.cursor });
    const third = await backend.list({ limit: 2, cursor: second.cursor });

    expect([...first.jobs, ...second.jobs, ...third.jobs].map((job) => job.id)).toEqual(ids);
    expect(third.cursor).toBeUndefined();
  });

  it('lists by state and by name', async () => {
    const backend = await fixture.backend();
    const a = await backend.enqueue(fixture.newJob('a'));
    const later = await backend.enqueue(fixture.newJob('a', {}, { runAt: fixture.clock.now() + 60_000 }));
    await backend.enqueue(fixture.newJob('b'));

    const delayed = await backend.list({ limit: 10, state: 'delayed' });
    const named = await backend.list({ limit: 10, name: 'a' });

    expect(delayed.jobs.map((job) => job.id)).toEqual([later]);
    expect(named.jobs.map((job) => job.id)).toEqual([a, later]);
  });

  it('runs at most the spec concurrency of a name at once', async () => {
    const backend = await fixture.backend();
    let running = 0;
    let most = 0;
    for (let i = 0; i < 6; i++) await backend.enqueue(fixture.newJob('mail'));

    await backend.work([
      spec(
        'mail',
        async () => {
          most = Math.max(most, ++running);
          await new Promise((resolve) => setTimeout(resolve, 30));
          running--;
        },
        { concurrency: 2 },
      ),
    ]);
    await eventually(async () => (await backend.counts()).completed === 6);

    expect(most).toBe(2);
  });
});

redis.describe('the BullMQ engine across crashes', () => {
  let fixture: BullmqFixture;
  beforeEach(() => {
    fixture = new BullmqFixture(redis.url);
  });
  afterEach(async () => {
    await fixture.cleanUp();
  });

  it('claims a job stalled by two crashes again, rather than failing it, and counts one attempt', async () => {
    const options = { lockDuration: 300, stalledInterval: 100 };
    const runs: string[] = [];
    const hang = (who: string) =>
      spec('mail', async () => {
        runs.push(who);
        await new Promise<void>(() => {});
      });
    const [first, second, third] = [
      (await fixture.backend(options)) as BullmqBackend,
      (await fixture.backend(options)) as BullmqBackend,
      await fixture.backend(options),
    ];
    const id = await first.enqueue(fixture.newJob('mail'));

    await first.work([hang('first')]);
    await eventually(async () => runs.length === 1);
    first.simulateCrash();
    await second.work([hang('second')]);
    await eventually(async () => runs.length === 2);
    second.simulateCrash();
    await third.work([spec('mail', async () => void runs.push('third'))]);
    const info = await eventually(async () => {
      const got = await third.get(id);
      return got?.state === 'completed' && got;
    });

    expect(runs).toEqual(['first', 'second', 'third']);
    expect(info).toMatchObject({ attempts: 1, history: [{ attempt: 1 }] });
  });
});

describe('opening the BullMQ engine', () => {
  it('fails with ORDO_INVALID_OPTION naming the connection when Redis does not answer', async () => {
    const backend = createBackend({ connection: 'redis://user:secret@127.0.0.1:1' }, { keepCompleted: 1_000 });

    const opening = backend.open({ clock: new SystemClock(), logger: new SilentLogger() });

    await expect(opening).rejects.toMatchObject({
      code: 'ORDO_INVALID_OPTION',
      message: expect.stringContaining('jobs.bullmq.connection: Redis at redis://user:***@127.0.0.1:1 does not answer'),
    });
    await backend.close();
  });
});
