// A worker process for the crash test: runs the `crash` jobs of a prefix, about 10 ms each, eight at once, and
// appends each job's id to a log file, synchronously, as its handler starts. It SIGKILLs itself as the handler of
// its `killAfter`-th job starts (so the kill falls midway however loaded the machine is), or, with 0, runs until
// SIGTERM (drain, close, exit 0). Arguments: Redis URL, key prefix, log file, lock duration in ms, killAfter.
import { appendFileSync } from 'node:fs';
import type { Logger } from '../../../../src/core/logger.js';
import { createBackend } from '../../../../src/jobs/engines/bullmq/index.js';
import { SystemClock } from '../../../../src/time/index.js';

const [url, prefix, log, lock, killAfter] = process.argv.slice(2) as [string, string, string, string, string];
let started = 0;
const clock = new SystemClock();
const backend = createBackend(
  { connection: url, prefix, lockDuration: Number(lock), stalledInterval: Number(lock) / 2 },
  { keepCompleted: 3_600_000 },
);
const quiet = (): void => {};
const logger: Logger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
await backend.open({ clock, logger });
await backend.work([
  {
    name: 'crash',
    concurrency: 8,
    attempts: 3,
    backoff: () => 0,
    run: async (job) => {
      appendFileSync(log, `${job.id}\n`);
      if (++started === Number(killAfter)) process.kill(process.pid, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 10));
    },
  },
]);
process.once('SIGTERM', () => {
  void backend
    .drain(clock.now() + 1_000)
    .then(() => backend.close())
    .then(() => process.exit(0));
});
