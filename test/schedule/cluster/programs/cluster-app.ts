/**
 * An app process for the multi-process tests of cluster schedules: one `@Every` cluster schedule on a SQLite file,
 * in real time, whose runs append `start <slot>` and `finish <slot>` lines to the process's own runs file. It prints
 * `ready` once started, and stops after `runMs` (exit 0). With `hang`, the first run it starts never finishes and
 * ignores its abort, so the test can SIGKILL the process mid-run. Driven by test/schedule/cluster/processes.test.ts.
 *
 * Usage: node cluster-app.js '{"db": …, "runs": …, "every": 200, "lease": 600, "pollInterval": 50, "runMs": 3000,
 *                               "hang": false}'
 */
import { appendFileSync } from 'node:fs';
import { Container } from 'inversify';
import { Component, Every, Logger, Ordo, SilentLogger, type ScheduleRunContext } from '../../../../src/index.js';

interface ProgramArguments {
  db: string;
  runs: string;
  every: number;
  lease: number;
  pollInterval: number;
  runMs: number;
  hang?: boolean;
}

const options = JSON.parse(process.argv[2]!) as ProgramArguments;
let hung = false;

@Component()
class Ticker {
  @Every(options.every, { cluster: true, name: 'ticker' })
  async run({ scheduledAt }: ScheduleRunContext): Promise<void> {
    appendFileSync(options.runs, `start ${scheduledAt.getTime()}\n`);
    if (options.hang && !hung) {
      hung = true;
      await new Promise<never>(() => {});
    }
    appendFileSync(options.runs, `finish ${scheduledAt.getTime()}\n`);
  }
}

const container = new Container({ defaultScope: 'Singleton' });
container.bind(Logger).toConstantValue(new SilentLogger());
container.bind(Ticker).toSelf();
const app = await Ordo.create(container, {
  jobs: {
    sqlite: { path: options.db, lease: options.lease, pollInterval: options.pollInterval, synchronous: 'NORMAL' },
  },
});
await app.start();
process.stdout.write('ready\n');
await new Promise((resolve) => setTimeout(resolve, options.runMs));
await app.stop();
process.stdout.write('done\n');
