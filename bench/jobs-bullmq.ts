/**
 * Durable jobs on BullMQ: 10,000 no-op jobs at concurrency 8 through Ordo's BullMQ engine, against BullMQ 6's own
 * Queue and Worker on the same Redis, side by side. Both sides enqueue in batches of 100 concurrent adds, then
 * process with one worker of concurrency 8; both are timed from the worker's start until a Queue polled every 10 ms
 * counts every job completed. Each side runs five rounds on a fresh key prefix, the two sides alternating and
 * taking turns to go first (the machine's load drifts); the medians are reported. Target: Ordo's throughput at least 0.8x BullMQ's.
 *
 * Needs Redis at REDIS_URL or 127.0.0.1:6379; without it the module reports nothing.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { SilentLogger, SystemClock } from '../src/index.js';
import { createBackend } from '../src/jobs/engines/bullmq/index.js';
import type { NewJob } from '../src/jobs/internal.js';
import { type BenchRow, median } from './report.js';

const JOBS = 10_000;
const CONCURRENCY = 8;
const BATCH = 100;
const ROUNDS = 5;
const NAME = 'bench';
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Round {
  /** Enqueues per second. */
  enqueue: number;
  /** Jobs processed per second. */
  process: number;
}

async function inBatches(count: number, add: (i: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < count; start += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => add(start + i)));
  }
}

/** Resolves once `queue` counts `count` completed jobs, polling every 10 ms. */
async function allCompleted(queue: Queue, count: number): Promise<void> {
  for (;;) {
    const { completed = 0 } = await queue.getJobCounts('completed');
    if (completed >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function ordoRound(redis: Redis): Promise<Round> {
  const prefix = `bench-ordo-${randomUUID().slice(0, 8)}`;
  const clock = new SystemClock();
  const backend = createBackend({ connection: url, prefix }, { keepCompleted: 86_400_000 });
  await backend.open({ clock, logger: new SilentLogger() });
  const probe = new Queue(NAME, { connection: redis, prefix });
  const job = (i: number): NewJob => {
    const now = clock.now();
    return { name: NAME, payload: `{"i":${i}}`, runAt: now, enqueuedAt: now, maxAttempts: 3 };
  };
  const enqueueStart = performance.now();
  await inBatches(JOBS, (i) => backend.enqueue(job(i)));
  const enqueueMs = performance.now() - enqueueStart;
  const start = performance.now();
  await backend.work([
    { name: NAME, concurrency: CONCURRENCY, attempts: 3, backoff: () => 1_000, run: () => Promise.resolve() },
  ]);
  await allCompleted(probe, JOBS);
  const processMs = performance.now() - start;
  await backend.drain(clock.now() + 5_000);
  await backend.close();
  await probe.close();
  await deletePrefix(redis, prefix);
  return { enqueue: (JOBS / enqueueMs) * 1000, process: (JOBS / processMs) * 1000 };
}

async function bullmqRound(redis: Redis): Promise<Round> {
  const prefix = `bench-bullmq-${randomUUID().slice(0, 8)}`;
  const queue = new Queue(NAME, { connection: redis, prefix });
  const enqueueStart = performance.now();
  await inBatches(JOBS, (i) =>
    queue.add(NAME, { i }, { attempts: 3, removeOnComplete: { age: 86_400 }, removeOnFail: false }),
  );
  const enqueueMs = performance.now() - enqueueStart;
  const start = performance.now();
  const worker = new Worker(NAME, async () => {}, { connection: redis, prefix, concurrency: CONCURRENCY });
  await allCompleted(queue, JOBS);
  const processMs = performance.now() - start;
  await worker.close();
  await queue.close();
  await deletePrefix(redis, prefix);
  return { enqueue: (JOBS / enqueueMs) * 1000, process: (JOBS / processMs) * 1000 };
}

async function redisAnswers(redis: Redis): Promise<boolean> {
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}

/** The BullMQ rows of the benchmark table. */
export async function benchmarks(): Promise<BenchRow[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => null });
  if (!(await redisAnswers(redis))) {
    process.stderr.write(`jobs-bullmq: Redis at ${url} does not answer; skipped\n`);
    redis.disconnect();
    return [];
  }
  const ordo: Round[] = [];
  const bullmq: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      ordo.push(await ordoRound(redis));
      bullmq.push(await bullmqRound(redis));
    } else {
      bullmq.push(await bullmqRound(redis));
      ordo.push(await ordoRound(redis));
    }
  }
  redis.disconnect();
  const ordoProcess = median(ordo.map((r) => r.process));
  const bullProcess = median(bullmq.map((r) => r.process));
  const ordoEnqueue = median(ordo.map((r) => r.enqueue));
  const bullEnqueue = median(bullmq.map((r) => r.enqueue));
  const perThousand = (perSecond: number): number => 1_000_000 / perSecond;
  const rate = (perSecond: number): string => `${Math.round(perSecond).toLocaleString('en-US')}/s`;
  return [
    {
      benchmark: `process ${JOBS.toLocaleString('en-US')} no-op jobs, concurrency ${CONCURRENCY} (BullMQ on Redis)`,
      ordo: perThousand(ordoProcess),
      peer: perThousand(bullProcess),
      peerName: 'bullmq 6 Queue/Worker',
      unit: 'ms/1k jobs',
      note:
        `Ordo ${rate(ordoProcess)} vs BullMQ ${rate(bullProcess)}: ${(ordoProcess / bullProcess).toFixed(2)}x ` +
        `BullMQ's throughput (target >= 0.80x); medians of ${ROUNDS} rounds`,
    },
    {
      benchmark: `enqueue ${JOBS.toLocaleString('en-US')} jobs, ${BATCH} at a time (BullMQ on Redis)`,
      ordo: perThousand(ordoEnqueue),
      peer: perThousand(bullEnqueue),
      peerName: 'bullmq 6 Queue.add',
      unit: 'ms/1k jobs',
      note: `Ordo ${rate(ordoEnqueue)} vs BullMQ ${rate(bullEnqueue)}: ${(ordoEnqueue / bullEnqueue).toFixed(2)}x`,
    },
  ];
}
