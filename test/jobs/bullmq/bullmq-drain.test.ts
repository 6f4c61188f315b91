import { Redis } from 'ioredis';
import { requireRedis } from '../../support/services.js';
import { BullmqFixture, eventually, spec } from './bullmq-fixtures.js';

const redis = await requireRedis();

/** Resolves when `n` handlers have started. */
function started(n: number): { handler: () => void; all: Promise<void> } {
  let count = 0;
  let resolve!: () => void;
  const all = new Promise<void>((r) => (resolve = r));
  return { handler: () => void (++count === n && resolve()), all };
}

redis.describe('draining the BullMQ engine', () => {
  let fixture: BullmqFixture;
  beforeEach(() => {
    fixture = new BullmqFixture(redis.url);
  });
  afterEach(async () => {
    await fixture.cleanUp();
  });

  it('lets running handlers finish before the deadline and claims nothing new', async () => {
    const backend = await fixture.backend();
    const first = await backend.enqueue(fixture.newJob('mail'));
    const go = started(1);
    await backend.work([
      spec('mail', async () => {
        go.handler();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }),
    ]);
    await go.all;
    const second = await backend.enqueue(fixture.newJob('mail'));

    const report = await backend.drain(fixture.clock.now() + 5_000);

    expect(report).toEqual({ drained: 1, returned: 0, abandoned: [] });
    expect((await backend.get(first))?.state).toBe('completed');
    expect((await backend.get(second))?.state).toBe('pending');
  });

  it('aborts handlers at the deadline and returns their jobs to pending, unattempted', async () => {
    const backend = await fixture.backend();
    const id = await backend.enqueue(fixture.newJob('mail'));
    const go = started(1);
    await backend.work([
      spec('mail', async (_job, signal) => {
        go.handler();
        await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }),
    ]);
    await go.all;

    const report = await backend.drain(fixture.clock.now() + 100);

    expect(report).toEqual({ drained: 0, returned: 1, abandoned: [] });
    expect(await backend.get(id)).toMatchObject({ state: 'pending', attempts: 0, history: [] });
  });

  it('reports a handler that ignores its abort as abandoned, returns its job, and does not wait for it', async () => {
    const backend = await fixture.backend();
    const id = await backend.enqueue(fixture.newJob('mail'));
    const go = started(1);
    await backend.work([
      spec('mail', async () => {
        go.handler();
        await new Promise(() => {});
      }),
    ]);
    await go.all;
    const deadline = fixture.clock.now() + 100;

    const report = await backend.drain(deadline);

    expect(report.returned).toBe(1);
    expect(report.abandoned.map((job) => job.id)).toEqual([id]);
    // Past the deadline only by the round trip that hands the job back (bounded at 1 s), on a loaded machine too.
    expect(fixture.clock.now() - deadline).toBeLessThan(2_000);
    expect(await backend.get(id)).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('hands a returned job to another worker, which runs it as the same attempt', async () => {
    const first = await fixture.backend();
    const id = await first.enqueue(fixture.newJob('mail'));
    const go = started(1);
    await first.work([
      spec('mail', async (_job, signal) => {
        go.handler();
        await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }),
    ]);
    await go.all;
    await first.drain(fixture.clock.now() + 50);
    const attempts: number[] = [];

    const second = await fixture.backend();
    await second.work([spec('mail', async (job) => void attempts.push(job.attempt))]);
    await eventually(async () => (await second.get(id))?.state === 'completed');

    expect(attempts).toEqual([1]);
    expect((await second.get(id))?.attempts).toBe(1);
  });
});

redis.describe('a BullMQ worker whose lease was taken over', () => {
  let fixture: BullmqFixture;
  beforeEach(() => {
    fixture = new BullmqFixture(redis.url);
  });
  afterEach(async () => {
    await fixture.cleanUp();
  });

  /** Two engines on one job: the first holds it until its lock is deleted, the second claims it then. */
  async function takeOver(firstOutcome: 'resolves' | 'rejects') {
    const options = { lockDuration: 300, stalledInterval: 100 };
    const one = await fixture.backend(options);
    const two = await fixture.backend(options);
    const id = await one.enqueue(fixture.newJob('mail'));
    const signals: AbortSignal[] = [];
    let releaseOne!: () => void;
    let releaseTwo!: () => void;
    const oneMayEnd = new Promise<void>((resolve) => (releaseOne = resolve));
    const twoMayEnd = new Promise<void>((resolve) => (releaseTwo = resolve));
    const started = { one: 0, two: 0 };
    await one.work([
      spec('mail', async (_job, signal) => {
        started.one++;
        signals.push(signal);
        await oneMayEnd;
        if (firstOutcome === 'rejects') throw new Error('first worker failed');
      }),
    ]);
    await eventually(async () => started.one === 1);
    const lock = `${fixture.prefix}:mail:${id.split(':')[1]}:lock`;
    const probe = new Redis(redis.url);
    await probe.del(lock);
    probe.disconnect();
    await two.work([
      spec('mail', async () => {
        started.two++;
        await twoMayEnd;
      }),
    ]);
    await eventually(async () => started.two === 1, 5_000);
    releaseOne();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const whileSecondRuns = await one.get(id);
    releaseTwo();
    const done = await eventually(async () => {
      const got = await two.get(id);
      return got?.state === 'completed' && got;
    });
    return { whileSecondRuns, done, aborted: signals[0]?.aborted };
  }

  it('cannot complete the job: it stays with the new holder, and its run is not counted', async () => {
    const { whileSecondRuns, done, aborted } = await takeOver('resolves');

    expect(whileSecondRuns).toMatchObject({ state: 'running', attempts: 0 });
    expect(done).toMatchObject({ attempts: 1 });
    expect(aborted).toBe(true);
  });

  it('cannot fail the job: no attempt is recorded for it', async () => {
    const { whileSecondRuns, done } = await takeOver('rejects');

    expect(whileSecondRuns).toMatchObject({ state: 'running', attempts: 0, history: [] });
    expect(done.history).toHaveLength(1);
  });
});
