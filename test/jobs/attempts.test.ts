import { Component, Job, JobError, Jobs, type AppEventMap, type JobContext } from '../../src/index.js';
import { deferred } from '../support/app-fixtures.js';
import { jobsApp } from './support/job-fixtures.js';

describe('an attempt of a job', () => {
  it('calls the handler on its instance with the payload and a context of id, attempt, signal and enqueuedAt', async () => {
    const seen: Array<{ self: unknown; payload: unknown; context: JobContext }> = [];
    @Component()
    class Mailer {
      @Job('send')
      async send(payload: unknown, context: JobContext): Promise<void> {
        seen.push({ self: this, payload, context });
      }
    }
    const { app, clock } = await jobsApp([Mailer]);
    await app.start();
    const enqueuedAt = clock.now();

    const id = await app.get(Jobs).enqueue('send', { to: 'a' });
    await clock.advance(0);

    expect(seen).toEqual([
      {
        self: app.get(Mailer),
        payload: { to: 'a' },
        context: { id, attempt: 1, signal: expect.any(AbortSignal), enqueuedAt },
      },
    ]);
  });

  it('aborts its signal at the timeout with ORDO_JOB_TIMEOUT naming the job and id, and fails with it', async () => {
    const signals: AbortSignal[] = [];
    @Component()
    class Mailer {
      @Job('send', { attempts: 1, timeout: '30s' })
      send(_payload: unknown, { signal }: JobContext): Promise<void> {
        signals.push(signal);
        return new Promise(() => {});
      }
    }
    const { app, clock, backend } = await jobsApp([Mailer]);
    await app.start();
    const id = await app.get(Jobs).enqueue('send', {});

    await clock.advance('29s');
    const before = signals[0]!.aborted;
    await clock.advance('1s');

    expect(before).toBe(false);
    expect(signals[0]!.reason).toBeInstanceOf(JobError);
    expect(signals[0]!.reason).toMatchObject({ code: 'ORDO_JOB_TIMEOUT', job: 'send' });
    expect((signals[0]!.reason as Error).message).toBe(`Job "send" (id ${id}), attempt 1, timed out after 30s`);
    expect(backend.jobs.get(id)).toMatchObject({
      state: 'dead',
      lastError: `Job "send" (id ${id}), attempt 1, timed out after 30s`,
    });
  });

  it("aborts its signal when the engine aborts its own, with the engine's reason", async () => {
    const started = deferred<AbortSignal>();
    @Component()
    class Mailer {
      @Job('send')
      send(_payload: unknown, { signal }: JobContext): Promise<void> {
        started.resolve(signal);
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
    }
    const { app, clock } = await jobsApp([Mailer], { shutdownTimeout: '10s' });
    await app.start();
    await app.get(Jobs).enqueue('send', {});
    const signal = await started.promise;

    const stopping = app.stop();
    await clock.advance('10s');
    await stopping;

    expect(signal.reason).toEqual(new Error('drained'));
  });

  it('treats a handler that throws synchronously as a failed attempt', async () => {
    @Component()
    class Mailer {
      @Job('send', { attempts: 1 })
      send(): Promise<void> {
        throw new Error('provider down');
      }
    }
    const { app, clock, backend } = await jobsApp([Mailer]);
    await app.start();

    const id = await app.get(Jobs).enqueue('send', {});
    await clock.advance(0);

    expect(backend.jobs.get(id)).toMatchObject({ state: 'dead', lastError: 'provider down' });
  });
});

describe('a failing job', () => {
  function flaky(failures: number, attempts = 3) {
    let calls = 0;
    @Component()
    class Mailer {
      @Job('send', { attempts, backoff: { type: 'fixed', delay: '1m' } })
      async send(): Promise<void> {
        calls++;
        if (calls <= failures) throw new Error(`failure ${calls}`);
      }
    }
    return Mailer;
  }

  it('is retried after the backoff its @Job gives, and completes', async () => {
    const { app, clock, backend } = await jobsApp([flaky(2)]);
    await app.start();
    const id = await app.get(Jobs).enqueue('send', {});
    await clock.advance(0);

    await clock.advance('59s');
    const afterOne = backend.jobs.get(id)!.attempts;
    await clock.advance('1s');
    await clock.advance('1m');

    expect(afterOne).toBe(1);
    expect(backend.jobs.get(id)).toMatchObject({ state: 'completed', attempts: 3 });
  });

  it('is dead after its last attempt, with its last error and each attempt in its history', async () => {
    const { app, clock } = await jobsApp([flaky(5)]);
    await app.start();
    const jobs = app.get(Jobs);
    const id = await jobs.enqueue('send', {});

    await clock.advance('5m');

    const info = await jobs.get(id);
    expect(info).toMatchObject({ state: 'dead', attempts: 3, lastError: 'failure 3' });
    expect(info!.history.map((attempt) => attempt.error)).toEqual(['failure 1', 'failure 2', 'failure 3']);
  });

  it('emits job:failed for each failed attempt, saying whether it will be retried', async () => {
    const { app, clock } = await jobsApp([flaky(5, 2)]);
    const failed: Array<AppEventMap['job:failed'][0]> = [];
    app.events.on('job:failed', (event) => failed.push(event));
    await app.start();

    const id = await app.get(Jobs).enqueue('send', {});
    await clock.advance('5m');

    expect(failed).toEqual([
      { name: 'send', id, attempt: 1, error: new Error('failure 1'), willRetry: true },
      { name: 'send', id, attempt: 2, error: new Error('failure 2'), willRetry: false },
    ]);
  });

  it('is not reported failed when a shutdown cut its run short', async () => {
    @Component()
    class Mailer {
      @Job('send')
      send(_payload: unknown, { signal }: JobContext): Promise<void> {
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
    }
    const { app, clock } = await jobsApp([Mailer], { shutdownTimeout: '10s' });
    const failed: unknown[] = [];
    app.events.on('job:failed', (event) => failed.push(event));
    await app.start();
    await app.get(Jobs).enqueue('send', {});
    await clock.advance(0);

    const stopping = app.stop();
    await clock.advance('10s');
    await stopping;

    expect(failed).toEqual([]);
  });
});

describe('the queues handed to the engine', () => {
  it("carry each @Job's name, concurrency, attempts and backoff", async () => {
    @Component()
    class Mailer {
      @Job('send', { attempts: 7, concurrency: 4, backoff: { type: 'fixed', delay: '2s' } })
      async send(): Promise<void> {}

      @Job('digest')
      async digest(): Promise<void> {}
    }
    const { app, backend } = await jobsApp([Mailer]);

    await app.start();

    expect(
      backend.queues.map(({ name, concurrency, attempts, backoff }) => ({
        name,
        concurrency,
        attempts,
        first: backoff(1),
      })),
    ).toEqual([
      { name: 'send', concurrency: 4, attempts: 7, first: 2_000 },
      { name: 'digest', concurrency: 1, attempts: 3, first: expect.any(Number) },
    ]);
  });
});
