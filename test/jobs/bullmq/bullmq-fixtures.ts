import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { SilentLogger, SystemClock } from '../../../src/index.js';
import { createBackend } from '../../../src/jobs/engines/bullmq/index.js';
import type { ClaimedJob, JobQueueSpec, JobsBackend, NewJob } from '../../../src/jobs/internal.js';
import type { BullmqJobsOptions } from '../../../src/jobs/jobs-options.js';

/** A key prefix no other test uses, so tests never meet each other's jobs. */
export function uniquePrefix(): string {
  return `ordo-test-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** BullMQ engines opened on a fresh prefix, closed and their keys deleted by `cleanUp()`. */
export class BullmqFixture {
  readonly prefix = uniquePrefix();
  readonly clock = new SystemClock();
  readonly #url: string;
  readonly #opened: JobsBackend[] = [];

  constructor(url: string) {
    this.#url = url;
  }

  /** An opened engine on this fixture's prefix. */
  async backend(options: Partial<BullmqJobsOptions> = {}, keepCompleted = 86_400_000): Promise<JobsBackend> {
    const backend = createBackend({ connection: this.#url, prefix: this.prefix, ...options }, { keepCompleted });
    await backend.open({ clock: this.clock, logger: new SilentLogger() });
    this.#opened.push(backend);
    return backend;
  }

  /** A job to enqueue, due now unless told otherwise. */
  newJob(name: string, payload: unknown = {}, extra: Partial<NewJob> = {}): NewJob {
    const now = this.clock.now();
    return { name, payload: JSON.stringify(payload), runAt: now, enqueuedAt: now, maxAttempts: 3, ...extra };
  }

  async cleanUp(): Promise<void> {
    for (const backend of this.#opened.splice(0)) await backend.close();
    await deleteKeys(this.#url, this.prefix);
  }
}

/** A queue spec whose jobs run `run`; no backoff unless told. */
export function spec(
  name: string,
  run: (job: ClaimedJob, signal: AbortSignal) => Promise<void>,
  extra: Partial<Omit<JobQueueSpec, 'run' | 'name'>> = {},
): JobQueueSpec {
  return { name, concurrency: 1, attempts: 3, backoff: () => 0, ...extra, run };
}

/** Polls `check` every 20 ms until it holds (BullMQ runs in real time), failing after `timeout` ms. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeout = 5_000): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
