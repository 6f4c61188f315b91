import { Component, Job, Jobs, JobError, type JobContext } from '../../src/index.js';
import { appOf } from '../support/app-fixtures.js';
import { jobsApp, rejectionOf } from './support/job-fixtures.js';

@Component()
class Mailer {
  @Job('send-email', { attempts: 5 })
  async send(_payload: { to: string }, _context: JobContext): Promise<void> {}

  @Job('send-sms')
  async sms(): Promise<void> {}
}

async function started(options: Parameters<typeof jobsApp>[1] = {}) {
  const made = await jobsApp([Mailer], options);
  await made.app.start();
  return { ...made, jobs: made.app.get(Jobs) };
}

describe('Jobs.enqueue', () => {
  it('stores the job with its payload as JSON, due now, with the attempts of its @Job, and resolves its id', async () => {
    const { jobs, backend, clock } = await started();

    const id = await jobs.enqueue('send-email', { to: 'a@example.com' });

    expect(id).toBe('1');
    expect(backend.enqueued).toEqual([
      {
        name: 'send-email',
        payload: '{"to":"a@example.com"}',
        runAt: clock.now(),
        enqueuedAt: clock.now(),
        maxAttempts: 5,
      },
    ]);
  });

  it('makes a job due after its delay', async () => {
    const { jobs, backend, clock } = await started();

    await jobs.enqueue('send-email', {}, { delay: '10m' });

    expect(backend.enqueued[0]!.runAt).toBe(clock.now() + 600_000);
  });

  it('makes a job due at its runAt, given as a Date or as epoch milliseconds', async () => {
    const { jobs, backend, clock } = await started();

    await jobs.enqueue('send-email', {}, { runAt: new Date(clock.now() + 5_000) });
    await jobs.enqueue('send-email', {}, { runAt: clock.now() + 7_000 });

    expect(backend.enqueued.map((job) => job.runAt - clock.now())).toEqual([5_000, 7_000]);
  });

  it('reads a runAt in the past as now', async () => {
    const { jobs, backend, clock } = await started();

    await jobs.enqueue('send-email', {}, { runAt: clock.now() - 60_000 });

    expect(backend.enqueued[0]!.runAt).toBe(clock.now());
  });

  it('hands the key to the engine, which returns the live job of the same name and key', async () => {
    const { jobs, backend } = await started();

    const first = await jobs.enqueue('send-email', { to: 'a' }, { key: 'welcome:1', delay: '1h' });
    const again = await jobs.enqueue('send-email', { to: 'a' }, { key: 'welcome:1', delay: '1h' });

    expect(again).toBe(first);
    expect(backend.enqueued.map((job) => job.key)).toEqual(['welcome:1', 'welcome:1']);
  });

  it('refuses an unknown name, naming it and listing the known ones', async () => {
    const { jobs, backend } = await started();

    const error = await rejectionOf(jobs.enqueue('send-mail', {}));

    expect(error).toBeInstanceOf(JobError);
    expect(error.code).toBe('ORDO_UNKNOWN_JOB');
    expect(error.message).toBe(
      'Jobs.enqueue("send-mail"): no @Job has that name; the jobs are "send-email", "send-sms"',
    );
    expect(backend.enqueued).toEqual([]);
  });

  it('refuses every name in an app that declares no @Job', async () => {
    const { app } = await jobsApp([]);
    await app.start();

    const error = await rejectionOf(app.get(Jobs).enqueue('send-email', {}));

    expect(error.message).toContain('the app declares no @Job');
  });

  it('refuses a payload that is not JSON before the engine sees it', async () => {
    const { jobs, backend } = await started();

    const error = await rejectionOf(jobs.enqueue('send-email', { to: 'a', at: new Date() }));

    expect(error.code).toBe('ORDO_JOB_PAYLOAD');
    expect(error.message).toContain('payload.at is a Date');
    expect(backend.enqueued).toEqual([]);
  });

  it('refuses a payload over the maxPayloadBytes of the jobs option', async () => {
    const { jobs } = await started({ jobsOptions: { maxPayloadBytes: 10 } });

    const error = await rejectionOf(jobs.enqueue('send-email', { to: 'someone@example.com' }));

    expect(error.code).toBe('ORDO_JOB_PAYLOAD_TOO_LARGE');
  });

  it.each([
    [{ delay: '1m', runAt: 0 }, 'give delay or runAt, not both'],
    [{ delay: 'later' }, 'delay: '],
    [{ runAt: new Date('never') }, 'runAt must be a valid Date or epoch milliseconds, got an invalid Date'],
    [{ runAt: '2026-01-01' }, 'runAt must be a valid Date or epoch milliseconds, got "2026-01-01"'],
    [{ key: '' }, 'key must be a non-empty string'],
    [{ priority: 1 }, 'unknown option priority'],
  ])('refuses the options %j, naming the job and the option', async (options, fragment) => {
    const { jobs } = await started();

    const error = await rejectionOf(jobs.enqueue('send-email', {}, options as never));

    expect(error.code).toBe('ORDO_JOB_OPTION');
    expect(error.message).toContain(`Jobs.enqueue("send-email"): ${fragment}`);
  });
});

describe('the other verbs of Jobs', () => {
  it('get resolves the job as the engine holds it, and undefined for an unknown id', async () => {
    const { jobs } = await started();
    const id = await jobs.enqueue('send-email', { to: 'a' }, { delay: '1h' });

    await expect(jobs.get(id)).resolves.toMatchObject({
      id,
      name: 'send-email',
      state: 'delayed',
      payload: { to: 'a' },
    });
    await expect(jobs.get('nope')).resolves.toBeUndefined();
  });

  it('list asks the engine for 100 jobs unless told, and passes state, name, limit and cursor on', async () => {
    const { jobs, backend } = await started();

    await jobs.list();
    await jobs.list({ state: 'dead', name: 'send-email', limit: 1000, cursor: '7' });

    expect(backend.calls.filter((call) => call.startsWith('list'))).toEqual([
      'list {"limit":100}',
      'list {"limit":1000,"state":"dead","name":"send-email","cursor":"7"}',
    ]);
  });

  it('list pages through the jobs with the cursor the engine gives', async () => {
    const { jobs } = await started();
    for (let i = 0; i < 3; i++) await jobs.enqueue('send-email', { i }, { delay: '1h' });

    const first = await jobs.list({ limit: 2 });
    const second = await jobs.list({ limit: 2, cursor: first.cursor });

    expect([first.jobs.map((job) => job.payload), second.jobs.map((job) => job.payload)]).toEqual([
      [{ i: 0 }, { i: 1 }],
      [{ i: 2 }],
    ]);
    expect(second.cursor).toBeUndefined();
  });

  it.each([
    [{ limit: 1001 }, 'limit must be a whole number from 1 to 1000, got 1001'],
    [{ limit: 0 }, 'limit must be a whole number from 1 to 1000, got 0'],
    [{ state: 'failed' }, "state \"failed\" is not one of 'pending', 'delayed', 'running', 'completed', 'dead'"],
    [{ cursor: 7 }, 'cursor must be the string a previous page gave'],
  ])('list refuses the query %j', async (query, fragment) => {
    const { jobs } = await started();

    const error = await rejectionOf(jobs.list(query as never));

    expect(error.code).toBe('ORDO_JOB_OPTION');
    expect(error.message).toContain(`Jobs.list(): ${fragment}`);
  });

  it('cancel, retry and counts delegate to the engine', async () => {
    const { jobs } = await started();
    const id = await jobs.enqueue('send-email', {}, { delay: '1h' });

    const cancelled = await jobs.cancel(id);
    const counts = await jobs.counts();
    const retried = await jobs.retry(id);

    expect([cancelled, retried]).toEqual([true, true]);
    expect(counts).toEqual({ pending: 0, delayed: 0, running: 0, completed: 0, dead: 1 });
  });

  it('answers from no store at all in an app that declares no @Job and names no backend', async () => {
    const { app } = await appOf([]);
    const jobs = app.get(Jobs);

    await expect(jobs.get('1')).resolves.toBeUndefined();
    await expect(jobs.counts()).resolves.toEqual({ pending: 0, delayed: 0, running: 0, completed: 0, dead: 0 });
  });
});
