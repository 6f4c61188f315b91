/**
 * The seed's advice for durable work, made real: "for email batches, uploads, flaky third-party APIs, drive a
 * lifecycle-managed worker that polls a table or queue you own". Here nobody writes that worker: a batch command
 * enqueues one job per email with `Jobs.enqueue`, a `@Job` method sends it through a flaky provider, failed sends
 * are retried with backoff, the ones that fail every attempt stay `dead` with their last error, and once the
 * provider is fixed `jobs.retry(id)` sends them. The store is a SQLite file, or BullMQ on Redis: configuration only.
 */
import { inject, injectable } from 'inversify';
import {
  Clock,
  Job,
  Jobs,
  Logger,
  Module,
  Ordo,
  type App,
  type Duration,
  type JobContext,
  type JobCounts,
  type JobId,
  type JobsOptions,
} from '../../src/index.js';
import { PrintLogger } from '../shared/print-logger.js';

/** One email, as a job's payload: plain JSON. */
export interface Email {
  readonly to: string;
  readonly subject: string;
}

/** Which addresses the fake provider fails, so that every run fails the same ones. */
export class ProviderFaults {
  constructor(
    /** Fail the first send to each of these (a "421 try again later"), then accept it. */
    readonly flaky: readonly string[] = ['grace@example.com', 'linus@example.com'],
    /** Refuse every send to these (a "550 mailbox unavailable") until the provider is repaired. */
    readonly refused: readonly string[] = ['ken@legacy.example', 'barbara@legacy.example'],
    /** How long one send takes, on the app's Clock. */
    readonly latency: Duration = '20ms',
  ) {}
}

/** A third-party email API: slow, sometimes busy, and refusing one domain until it is repaired. */
@injectable()
export class EmailProvider {
  /** The emails it accepted, in order, with the attempt that got through. */
  readonly sent: Array<Email & { readonly attempt: number }> = [];
  #repaired = false;
  readonly #tries = new Map<string, number>();

  constructor(
    @inject(Clock) private readonly clock: Clock,
    @inject(ProviderFaults) private readonly faults: ProviderFaults,
  ) {}

  async send(email: Email, attempt: number, signal: AbortSignal): Promise<void> {
    await this.clock.sleep(this.faults.latency, signal);
    const tries = (this.#tries.get(email.to) ?? 0) + 1;
    this.#tries.set(email.to, tries);
    if (!this.#repaired && this.faults.refused.includes(email.to)) throw new Error('550 mailbox unavailable');
    if (tries === 1 && this.faults.flaky.includes(email.to)) throw new Error('421 try again later');
    this.sent.push({ ...email, attempt });
  }

  /** The provider's fix is deployed: it accepts every address from now on. */
  repair(): void {
    this.#repaired = true;
  }
}

/**
 * Sends one email per job. Three attempts, waits of 100–200 ms then 200–400 ms between them (short, so that the
 * sample runs in a second on a real clock; an app would wait seconds to minutes), two sends at once.
 */
@injectable()
export class Mailer {
  constructor(
    @inject(EmailProvider) private readonly provider: EmailProvider,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  @Job('email.send', { attempts: 3, backoff: { type: 'exponential', base: '200ms', max: '2s' }, concurrency: 2 })
  async send(email: Email, { attempt, signal }: JobContext): Promise<void> {
    await this.provider.send(email, attempt, signal);
    this.logger.info({ to: email.to, attempt }, 'email sent');
  }
}

/**
 * The batch command: one job per recipient, keyed so that running the same batch again while its jobs wait adds
 * nothing.
 */
@injectable()
export class Newsletter {
  constructor(@inject(Jobs) private readonly jobs: Jobs) {}

  /** Enqueues `subject` to every recipient of `batch` and resolves with the jobs' ids once they are stored. */
  async send(batch: string, subject: string, recipients: readonly string[]): Promise<JobId[]> {
    const ids: JobId[] = [];
    for (const to of recipients) {
      ids.push(await this.jobs.enqueue('email.send', { to, subject } satisfies Email, { key: `${batch}:${to}` }));
    }
    return ids;
  }
}

/** The register action: creates the account and leaves the welcome email to a job, which survives a crash. */
@injectable()
export class Signup {
  readonly users = new Map<string, string>();

  constructor(@inject(Jobs) private readonly jobs: Jobs) {}

  /** Registers the user and resolves with the welcome email's job id. */
  async register(userId: string, email: string): Promise<JobId> {
    this.users.set(userId, email);
    return this.jobs.enqueue('email.send', { to: email, subject: 'Welcome!' } satisfies Email, {
      key: `welcome:${userId}`,
    });
  }
}

@Module({ providers: [ProviderFaults, EmailProvider, Mailer, Newsletter, Signup] })
export class EmailBatchModule {}

/** Options of {@link createEmailBatchApp}. */
export interface EmailBatchOptions {
  /** Where the jobs are stored: `{ sqlite: { path } }` or `{ bullmq: { connection } }`. */
  readonly jobs: JobsOptions;
  /** The app's Clock (a VirtualClock in tests, on SQLite; BullMQ reads the system clock whatever this is). */
  readonly clock?: Clock;
  /** Receives the log lines. */
  readonly print?: (line: string) => void;
  readonly faults?: ProviderFaults;
}

/** The sample's app. */
export function createEmailBatchApp(options: EmailBatchOptions): Promise<App> {
  return Ordo.create(EmailBatchModule, {
    jobs: options.jobs,
    overrides: [
      [Logger, new PrintLogger(options.print)],
      ...(options.clock ? [[Clock, options.clock] as const] : []),
      ...(options.faults ? [[ProviderFaults, options.faults] as const] : []),
    ],
  });
}

/** Resolves with the counts once no job is pending, delayed or running, looking every `every` on the app's Clock. */
export async function untilIdle(app: App, every: Duration = '50ms'): Promise<JobCounts> {
  const jobs = app.get(Jobs);
  const clock = app.get(Clock);
  for (;;) {
    const counts = await jobs.counts();
    if (counts.pending + counts.delayed + counts.running === 0) return counts;
    await clock.sleep(every);
  }
}

/** "completed 4, dead 2", leaving out the states no job is in. */
export function formatCounts(counts: JobCounts): string {
  const held = Object.entries(counts).filter(([, count]) => count > 0);
  return held.length === 0 ? 'no jobs' : held.map(([state, count]) => `${state} ${count}`).join(', ');
}

/** The December newsletter's recipients: two the provider fails once, two it refuses until repaired. */
export const RECIPIENTS: readonly string[] = [
  'ada@example.com',
  'grace@example.com',
  'ken@legacy.example',
  'linus@example.com',
  'margaret@example.com',
  'barbara@legacy.example',
];

/**
 * The sample's story: the batch command enqueues the newsletter (twice, as an operator who ran it again would) before
 * the app starts its workers; retries get the flaky sends through, the refused ones die; the provider is repaired
 * and the dead jobs retried. Resolves once every job completed; the caller stops the app.
 */
export async function runEmailBatch(app: App, print: (line: string) => void = console.log): Promise<void> {
  const jobs = app.get(Jobs);
  const newsletter = app.get(Newsletter);

  const ids = await newsletter.send('2026-12', 'December news', RECIPIENTS);
  const again = await newsletter.send('2026-12', 'December news', RECIPIENTS);
  const added = again.filter((id) => !ids.includes(id)).length;
  print(
    `enqueued ${ids.length} emails; the same batch sent again added ${added}: ${formatCounts(await jobs.counts())}`,
  );

  await app.start();
  print(`after the retries: ${formatCounts(await untilIdle(app))}`);
  const { jobs: dead } = await jobs.list({ state: 'dead' });
  for (const job of dead) {
    print(`dead: ${(job.payload as Email).to} after ${job.attempts} attempts, last error "${job.lastError}"`);
  }

  app.get(EmailProvider).repair();
  print('the provider is repaired; retrying the dead jobs');
  for (const job of dead) await jobs.retry(job.id);
  print(`after retrying them: ${formatCounts(await untilIdle(app))}`);

  const sent = [...app.get(EmailProvider).sent].sort((a, b) => RECIPIENTS.indexOf(a.to) - RECIPIENTS.indexOf(b.to));
  for (const { to, attempt } of sent) print(`sent to ${to} on attempt ${attempt}`);
}
