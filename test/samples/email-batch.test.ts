import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Jobs, VirtualClock, type App, type JobId } from '../../src/index.js';
import {
  EmailProvider,
  Newsletter,
  RECIPIENTS,
  Signup,
  createEmailBatchApp,
  runEmailBatch,
  untilIdle,
} from '../../samples/email-batch/email-batch.js';
import { deleteKeys, uniquePrefix } from '../jobs/bullmq/bullmq-fixtures.js';
import { settleWith } from '../support/app-fixtures.js';
import { requireRedis } from '../support/services.js';

const redis = await requireRedis();

/** What the sample prints of its story (its log lines go elsewhere), the same on both engines. */
const STORY = [
  'enqueued 6 emails; the same batch sent again added 0: pending 6',
  'after the retries: completed 4, dead 2',
  'dead: ken@legacy.example after 3 attempts, last error "550 mailbox unavailable"',
  'dead: barbara@legacy.example after 3 attempts, last error "550 mailbox unavailable"',
  'the provider is repaired; retrying the dead jobs',
  'after retrying them: completed 6',
  'sent to ada@example.com on attempt 1',
  'sent to grace@example.com on attempt 2',
  'sent to ken@legacy.example on attempt 1',
  'sent to linus@example.com on attempt 2',
  'sent to margaret@example.com on attempt 1',
  'sent to barbara@legacy.example on attempt 1',
];

describe('the email-batch sample on SQLite, on a VirtualClock', () => {
  let folder: string;
  let clock: VirtualClock;
  let app: App;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ordo-email-batch-test-'));
    clock = new VirtualClock();
    app = await createEmailBatchApp({ jobs: { sqlite: { path: join(folder, 'jobs.db') } }, clock, print: () => {} });
  });

  afterEach(async () => {
    await settleWith(clock, app.stop(), '100ms');
    rmSync(folder, { recursive: true, force: true });
  });

  /** Enqueues the newsletter, starts the workers and resolves once no job is left to run. */
  async function sendNewsletter(): Promise<JobId[]> {
    const ids = await app.get(Newsletter).send('2026-12', 'December news', RECIPIENTS);
    await app.start();
    await settleWith(clock, untilIdle(app), '50ms');
    return ids;
  }

  it('tells its story: retries get the flaky sends through, the refused ones die, and go once retried', async () => {
    const lines: string[] = [];

    await settleWith(
      clock,
      runEmailBatch(app, (line) => lines.push(line)),
      '50ms',
    );

    expect(lines).toEqual(STORY);
  });

  it('adds nothing when the same batch is enqueued again while its jobs wait', async () => {
    const newsletter = app.get(Newsletter);
    const first = await newsletter.send('2026-12', 'December news', RECIPIENTS);

    const again = await newsletter.send('2026-12', 'December news', RECIPIENTS);

    expect({ again, counts: await app.get(Jobs).counts() }).toEqual({
      again: first,
      counts: { pending: 6, delayed: 0, running: 0, completed: 0, dead: 0 },
    });
  });

  it('sends to a flaky address on the second attempt, 100 to 200 ms after the first failed', async () => {
    const ids = await sendNewsletter();

    const grace = await app.get(Jobs).get(ids[RECIPIENTS.indexOf('grace@example.com')]!);

    const [first, second] = grace!.history;
    expect({ state: grace!.state, attempts: grace!.attempts, error: first!.error }).toEqual({
      state: 'completed',
      attempts: 2,
      error: '421 try again later',
    });
    expect(second!.startedAt - first!.finishedAt).toBeGreaterThanOrEqual(100);
    expect(second!.startedAt - first!.finishedAt).toBeLessThanOrEqual(200);
  });

  it('keeps a refused address dead after three attempts, with its last error', async () => {
    await sendNewsletter();

    const { jobs: dead } = await app.get(Jobs).list({ state: 'dead' });

    expect(dead.map((job) => [job.payload, job.attempts, job.lastError, job.history.length])).toEqual([
      [{ to: 'ken@legacy.example', subject: 'December news' }, 3, '550 mailbox unavailable', 3],
      [{ to: 'barbara@legacy.example', subject: 'December news' }, 3, '550 mailbox unavailable', 3],
    ]);
  });

  it('sends a dead email once the provider is repaired and the job retried', async () => {
    const ids = await sendNewsletter();
    const ken = ids[RECIPIENTS.indexOf('ken@legacy.example')]!;
    app.get(EmailProvider).repair();

    const retried = await app.get(Jobs).retry(ken);
    await settleWith(clock, untilIdle(app), '50ms');

    expect({ retried, state: (await app.get(Jobs).get(ken))?.state }).toEqual({ retried: true, state: 'completed' });
    expect(app.get(EmailProvider).sent.filter(({ to }) => to === 'ken@legacy.example')).toEqual([
      { to: 'ken@legacy.example', subject: 'December news', attempt: 1 },
    ]);
  });

  it('enqueues one welcome email for a user whose sign-up form was submitted twice', async () => {
    const signup = app.get(Signup);

    const ids = [await signup.register('u1', 'ada@example.com'), await signup.register('u1', 'ada@example.com')];
    await app.start();
    await settleWith(clock, untilIdle(app), '50ms');

    expect(ids[1]).toBe(ids[0]);
    expect(app.get(EmailProvider).sent).toEqual([{ to: 'ada@example.com', subject: 'Welcome!', attempt: 1 }]);
  });
});

redis.describe('the email-batch sample on BullMQ, in real time', () => {
  const prefix = uniquePrefix();
  let app: App;

  afterAll(async () => {
    await app?.stop();
    await deleteKeys(redis.url, prefix);
  });

  it('tells the same story as on SQLite', async () => {
    app = await createEmailBatchApp({ jobs: { bullmq: { connection: redis.url, prefix } }, print: () => {} });
    const lines: string[] = [];

    await runEmailBatch(app, (line) => lines.push(line));

    expect(lines).toEqual(STORY);
  });
});
