/**
 * A worker process for the SQLite engine's multi-process tests: an Ordo app with one `@Job` on a shared file. Its
 * handler appends `start <id>` and `finish <id>` lines to the process's own runs file around each run; the app stops
 * once the store holds `untilCompleted` completed jobs. It prints `ready` once started. Driven by
 * test/jobs/sqlite/processes.test.ts.
 *
 * Usage: node job-worker.js '{"db": …, "runs": …, "name": …, "concurrency": 8, "lease": 500, "pollInterval": 50,
 *                               "workMs": 10, "untilCompleted": 1000, "synchronous": "FULL"}'
 */
import 'reflect-metadata';
import { appendFileSync } from 'node:fs';
import { Container } from 'inversify';
import { Clock, Component, Job, Jobs, Logger, Ordo, SilentLogger, type JobContext } from '../../../../src/index.js';

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

@Component()
class Worker {
  constructor(private readonly clock: Clock) {}

  async run(_payload: unknown, { id, signal }: JobContext): Promise<void> {
    appendFileSync(options.runs, `start ${id}\n`);
    if (options.workMs > 0) await this.clock.sleep(options.workMs, signal);
    appendFileSync(options.runs, `finish ${id}\n`);
  }
}
// The job's name and concurrency come from the command line, so the decorator is applied here.
const method = Object.getOwnPropertyDescriptor(Worker.prototype, 'run')!;
Job(options.name, { concurrency: options.concurrency, backoff: { type: 'fixed', delay: 10 } })(
  Worker.prototype,
  'run',
  method,
);

const container = new Container({ defaultScope: 'Singleton' });
container.bind(Logger).toConstantValue(new SilentLogger());
container.bind(Worker).toSelf();
const app = await Ordo.create(container, {
  jobs: {
    sqlite: {
      path: options.db,
      lease: options.lease,
      pollInterval: options.pollInterval,
      synchronous: options.synchronous,
    },
  },
});
await app.start();
process.stdout.write('ready\n');

const jobs = app.get(Jobs);
const clock = app.get(Clock);
while ((await jobs.counts()).completed < options.untilCompleted) await clock.sleep(20);
await app.stop();
process.stdout.write('done\n');
