import { Container, inject } from 'inversify';
import { Queue } from 'bullmq';
import {
  Component,
  Cron,
  Every,
  Logger,
  Ordo,
  SilentLogger,
  type App,
  type ScheduleRunContext,
} from '../../../src/index.js';
import { deleteKeys, eventually, uniquePrefix } from '../../jobs/bullmq/bullmq-fixtures.js';
import { requireRedis } from '../../support/services.js';
import { INSTANCE } from './cluster-fixtures.js';

const redis = await requireRedis();

/** Every run of every instance: which instance, which slot. */
const runs: Array<{ instance: string; scheduledAt: number }> = [];

@Component()
class EverySecond {
  constructor(@inject(INSTANCE) readonly instance: string) {}

  @Every('1s', { cluster: true, name: 'every-second' })
  run({ scheduledAt }: ScheduleRunContext): void {
    runs.push({ instance: this.instance, scheduledAt: scheduledAt.getTime() });
  }
}

@Component()
class CronSecond {
  constructor(@inject(INSTANCE) readonly instance: string) {}

  @Cron('* * * * * *', { cluster: true, name: 'cron-second' })
  run({ scheduledAt }: ScheduleRunContext): void {
    runs.push({ instance: this.instance, scheduledAt: scheduledAt.getTime() });
  }
}

function duplicates(slots: readonly number[]): number[] {
  const seen = new Set<number>();
  return slots.filter((slot) => (seen.has(slot) ? true : (seen.add(slot), false)));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

redis.describe('a cluster schedule on BullMQ shared by two app instances (real time)', () => {
  let prefix: string;
  let apps: App[] = [];

  beforeEach(() => {
    prefix = uniquePrefix();
    runs.length = 0;
  });

  afterEach(async () => {
    for (const app of apps) await app.stop();
    apps = [];
    await deleteKeys(redis.url, prefix);
  });

  async function start(type: new (...args: never[]) => unknown): Promise<App[]> {
    for (const instance of ['a', 'b']) {
      const container = new Container({ defaultScope: 'Singleton' });
      container.bind(Logger).toConstantValue(new SilentLogger());
      container.bind(INSTANCE).toConstantValue(instance);
      container.bind(type).toSelf();
      apps.push(
        await Ordo.create(container, {
          jobs: { bullmq: { connection: redis.url, prefix, lockDuration: '5s', stalledInterval: '5s' } },
        }),
      );
    }
    for (const app of apps) await app.start();
    return apps;
  }

  it("runs each tick of an @Every('1s') once across both, on whole multiples of the period", async () => {
    await start(EverySecond);

    await sleep(4_500);

    const slots = runs.map((run) => run.scheduledAt);
    expect({
      enough: slots.length >= 3,
      duplicates: duplicates(slots),
      offPeriod: slots.filter((slot) => slot % 1_000 !== 0),
    }).toEqual({ enough: true, duplicates: [], offPeriod: [] });
  }, 20_000);

  it('runs each tick of a @Cron once across both, at whole seconds', async () => {
    await start(CronSecond);

    await sleep(4_500);

    const slots = runs.map((run) => run.scheduledAt);
    expect({
      enough: slots.length >= 3,
      duplicates: duplicates(slots),
      offSecond: slots.filter((slot) => slot % 1_000 !== 0),
    }).toEqual({ enough: true, duplicates: [], offSecond: [] });
  }, 20_000);

  it('removes the job scheduler when the schedule is removed', async () => {
    const [first] = await start(EverySecond);
    const queue = new Queue('ordo.schedule%3Aevery-second', { connection: { url: redis.url }, prefix });

    first!.schedules.remove('every-second');

    const left = await eventually(async () => {
      const schedulers = await queue.getJobSchedulers();
      return schedulers.length === 0 ? schedulers : undefined;
    });
    await queue.close();
    expect(left).toEqual([]);
  }, 20_000);

  it('keeps the job scheduler once every app stopped, until removed as docs/jobs-bullmq.md shows', async () => {
    for (const app of await start(EverySecond)) await app.stop();
    const name = 'ordo.schedule:every-second';
    const queue = new Queue(name.replaceAll('%', '%25').replaceAll(':', '%3A'), {
      connection: { url: redis.url },
      prefix,
    });
    const kept = (await queue.getJobSchedulers()).map((scheduler) => scheduler.key);

    await queue.removeJobScheduler(name);
    await queue.obliterate({ force: true });
    const left = await queue.getJobSchedulers();
    const jobs = Object.values(await queue.getJobCounts()).reduce((sum, count) => sum + count, 0);
    await queue.close();

    expect(kept).toEqual([name]);
    expect(left).toEqual([]);
    expect(jobs).toBe(0);
  }, 20_000);
});
