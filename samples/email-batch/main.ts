import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { JobsOptions } from '../../src/index.js';
import { createEmailBatchApp, runEmailBatch } from './email-batch.js';

// SQLite in a temporary file by default; BullMQ when REDIS_URL is set, under a key prefix of this run's own.
const redisUrl = process.env.REDIS_URL;
const folder = redisUrl ? undefined : mkdtempSync(join(tmpdir(), 'ordo-email-batch-'));
const prefix = `ordo-email-batch-${randomUUID().slice(0, 8)}`;
const jobs: JobsOptions = redisUrl
  ? { bullmq: { connection: redisUrl, prefix } }
  : { sqlite: { path: join(folder!, 'jobs.db') } };
console.log(redisUrl ? `jobs on BullMQ at ${redisUrl} (prefix ${prefix})` : `jobs in ${join(folder!, 'jobs.db')}`);

const app = await createEmailBatchApp({ jobs, print: (line) => console.log(`  ${line}`) });
try {
  await runEmailBatch(app);
} finally {
  const report = await app.stop('sample finished');
  console.log(`stopped: ok=${report.ok}`);
  if (folder) rmSync(folder, { recursive: true, force: true });
  if (redisUrl) await deleteKeys(redisUrl, prefix);
}

/** Deletes the run's keys from Redis. */
async function deleteKeys(url: string, keyPrefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
