/**
 * A worker process for the SQLite engine's multi-process tests: it opens the backend on a file, works one job name,
 * and appends `start <id>` and `finish <id>` lines to its own runs file around each run, until the store holds
 * `untilCompleted` completed jobs. It prints `ready` once it works. Driven by test/jobs/sqlite/processes.test.ts.
 *
 * Usage: node job-worker.js '{"db": …, "runs": …, "concurrency": 8, "lease": 500, "pollInterval": 50,
 *                               "workMs": 10, "untilCompleted": 1000, "synchronous": "FULL"}'
 */
import { appendFileSync } from 'node:fs';
import { createBackend } from '../../../../src/jobs/engines/sqlite/index.js';
import { SystemClock } from '../../../../src/time/index.js';

interface WorkerArguments {
  db: string;
  runs: string;
  name: string;
  concurrency: number;
  lease: number;
  pollInterval: number;
  workMs: number;
  untilCompleted: number;
  synchronous?: 'FULL' | 'NORMAL';
}

const options = JSON.parse(process.argv[2]!) as WorkerArguments;
const clock = new SystemClock();
const quiet = (): void => {};
const logger = {
  debug: quiet,
  info: quiet,
  warn: quiet,
  error: (fields: object, message?: string) => console.error(message, fields),
};
const backend = createBackend(
  { path: options.db, lease: options.lease, pollInterval: options.pollInterval, synchronous: options.synchronous },
  { keepCompleted: 86_400_000 },
);

await backend.open({ clock, logger });
await backend.work([
  {
    name: options.name,
    concurrency: options.concurrency,
    attempts: 3,
    backoff: () => 10,
    async run(job, signal) {
      appendFileSync(options.runs, `start ${job.id}\n`);
      if (options.workMs > 0) await clock.sleep(options.workMs, signal);
      appendFileSync(options.runs, `finish ${job.id}\n`);
    },
  },
]);
process.stdout.write('ready\n');

while ((await backend.counts()).completed < options.untilCompleted) await clock.sleep(20);
const report = await backend.drain(clock.now() + 1_000);
await backend.close();
process.stdout.write(`done ${JSON.stringify(report)}\n`);
