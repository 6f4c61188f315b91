import { Container } from 'inversify';
import {
  Clock,
  Component,
  Cron,
  Every,
  Job,
  Jobs,
  Logger,
  SilentLogger,
  VirtualClock,
  type ScheduleRunContext,
} from '../../../src/index.js';
import type { JobSchedule } from '../../../src/jobs/internal.js';
import { checkJobsOptions, JobsRuntime } from '../../../src/jobs/internal.js';
import { appOf } from '../../support/app-fixtures.js';
import { MemoryBackend, rejectionOf } from '../../jobs/support/job-fixtures.js';
import { temporaryFolder } from '../../jobs/sqlite/sqlite-harness.js';

const MINUTE = 60_000;

/** An engine that times schedules itself, as BullMQ does, recording what it was asked. */
class TimingBackend extends MemoryBackend {
  readonly schedules: Array<`upsert ${string}` | `remove ${string}`> = [];
  readonly upserted: JobSchedule[] = [];

  async upsertSchedule(schedule: JobSchedule): Promise<void> {
    this.schedules.push(`upsert ${schedule.job}`);
    this.upserted.push(schedule);
  }

  async removeSchedule(job: string): Promise<void> {
    this.schedules.push(`remove ${job}`);
  }
}

@Component()
class Nightly {
  readonly runs: ScheduleRunContext[] = [];

  @Cron('0 3 * * *', { cluster: true, name: 'nightly', timeZone: 'Europe/Berlin' })
  run(context: ScheduleRunContext): void {
    this.runs.push(context);
  }
}

@Component()
class Hourly {
  @Every('1h', { cluster: true, name: 'hourly' })
  run(): void {}
}

describe('declaring a cluster schedule', () => {
  it('refuses cluster with jitter, naming the schedule', async () => {
    @Component()
    class Jittery {
      @Every('1h', { cluster: true, jitter: '5m' })
      run(): void {}
    }

    const error = await rejectionOf(appOf([Jittery], { jobs: { backend: new MemoryBackend() } }));

    expect({ code: error.code, message: error.message }).toEqual({
      code: 'ORDO_INVALID_SCHEDULE',
      message: expect.stringMatching(/@Every\("1h"\) on Jittery\.run: jitter does not go with cluster/),
    });
  });

  it('refuses cluster with immediate', async () => {
    @Component()
    class Eager {
      @Every('1h', { cluster: true, immediate: true })
      run(): void {}
    }

    const error = await rejectionOf(appOf([Eager], { jobs: { backend: new MemoryBackend() } }));

    expect(error.message).toMatch(/Eager\.run: immediate does not go with cluster/);
  });

  it('refuses a cluster option that is not a boolean', async () => {
    @Component()
    class Vague {
      @Every('1h', { cluster: 'yes' as unknown as boolean })
      run(): void {}
    }

    const error = await rejectionOf(appOf([Vague]));

    expect(error.message).toMatch(/Vague\.run: cluster must be true or false, got yes/);
  });

  it('refuses cluster in app.schedules.add, which adds to one process only', async () => {
    const { app } = await appOf([]);

    const adding = () => app.schedules.add('late', { every: '1m', cluster: true }, () => {});

    expect(adding).toThrow(/app\.schedules\.add\("late"\): cluster schedules are declared with @Every or @Cron/);
  });

  it('fails create() naming the schedule when the engine cannot make ticks', async () => {
    const error = await rejectionOf(appOf([Hourly], { jobs: { backend: new MemoryBackend() } }));

    expect({ code: error.code, message: error.message }).toEqual({
      code: 'ORDO_INVALID_SCHEDULE',
      message: expect.stringMatching(
        /^@Every\("1h"\) on Hourly\.run: .* the memory engine of durable jobs cannot make ticks/,
      ),
    });
  });

  it('refuses a @Job whose name is the one the ticks run under', async () => {
    @Component()
    class Squatter {
      @Job('ordo.schedule:hourly')
      async run(): Promise<void> {}
    }

    const error = await rejectionOf(appOf([Hourly, Squatter], { jobs: { backend: new TimingBackend() } }));

    expect({ code: error.code, message: error.message }).toEqual({
      code: 'ORDO_DUPLICATE_JOB',
      message: expect.stringContaining('its ticks run as jobs named "ordo.schedule:hourly", and a @Job has that name'),
    });
  });
});

describe('the engine a cluster schedule needs', () => {
  it('is the default SQLite engine when the app declares no @Job and no jobs option', async () => {
    const loaded: string[] = [];
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(Logger).toConstantValue(new SilentLogger());
    container.bind(Clock).toConstantValue(new VirtualClock());
    const runtime = new JobsRuntime({
      options: checkJobsOptions(undefined),
      importEngine: async (engine) => {
        loaded.push(engine);
        return { createBackend: () => new MemoryBackend() };
      },
    });
    await runtime.prepare({ container });

    const declaring = runtime.cluster.declare([{ name: 'hourly', every: 3_600_000, where: 'hourly' }], async () => {});

    await expect(declaring).rejects.toThrow(/the memory engine of durable jobs cannot make ticks/);
    expect(loaded).toEqual(['sqlite']);
  });
});

describe('a cluster schedule on an engine that times its ticks', () => {
  it('hands the engine one schedule per cluster schedule at start, with its cron and time zone', async () => {
    const backend = new TimingBackend();
    const { app } = await appOf([Nightly, Hourly], { jobs: { backend } });

    await app.start();

    expect(backend.upserted).toEqual([
      { job: 'ordo.schedule:nightly', cron: '0 3 * * *', timeZone: 'Europe/Berlin' },
      { job: 'ordo.schedule:hourly', every: 3_600_000 },
    ]);
    await app.stop();
  });

  it('runs the tick the engine hands over with its slot, previous slot and next slot', async () => {
    const backend = new TimingBackend();
    const { app } = await appOf([Nightly], { jobs: { backend } });
    await app.start();
    const slot = Date.UTC(2026, 5, 10, 1); // 03:00 in Berlin, summer time
    const queue = backend.queues.find((spec) => spec.name === 'ordo.schedule:nightly')!;

    await queue.run(
      { id: '1', name: queue.name, payload: {}, attempt: 1, enqueuedAt: slot, scheduledAt: slot },
      new AbortController().signal,
    );

    const [context] = app.get(Nightly).runs;
    expect({
      name: context!.name,
      scheduledAt: context!.scheduledAt.getTime(),
      previousAt: context!.previousAt?.getTime(),
      nextAt: context!.nextAt?.getTime(),
    }).toEqual({
      name: 'nightly',
      scheduledAt: slot,
      previousAt: slot - 1_440 * MINUTE,
      nextAt: slot + 1_440 * MINUTE,
    });
    await app.stop();
  });

  it('stops and restarts the ticks in every process on pause and resume, and removes them on remove', async () => {
    const backend = new TimingBackend();
    const { app, clock } = await appOf([Hourly], { jobs: { backend } });
    await app.start();

    app.schedules.pause('hourly');
    app.schedules.resume('hourly');
    app.schedules.remove('hourly');
    await clock.advance(0);

    expect(backend.schedules).toEqual([
      'upsert ordo.schedule:hourly',
      'remove ordo.schedule:hourly',
      'upsert ordo.schedule:hourly',
      'remove ordo.schedule:hourly',
    ]);
    await app.stop();
  });

  it('does not fire the schedule itself in this process', async () => {
    const backend = new TimingBackend();
    const { app, clock } = await appOf([Hourly], { jobs: { backend } });
    await app.start();

    await clock.advance('3h');

    expect(app.schedules.get('hourly')).toMatchObject({ runs: 0, cluster: true });
    expect(backend.enqueued).toEqual([]);
    await app.stop();
  });
});

describe('a failed tick', () => {
  it('is recorded as the dead job of its tick, and as a failure of the schedule', async () => {
    @Component()
    class Flaky {
      @Every('1m', { cluster: true, name: 'flaky' })
      run(): void {
        throw new Error('the warehouse is down');
      }
    }
    const folder = temporaryFolder();
    const { app, clock } = await appOf([Flaky], { jobs: { sqlite: { path: folder.file() } } });
    const failures: string[] = [];
    app.events.on('schedule:failed', ({ name, error }) => failures.push(`${name}: ${(error as Error).message}`));
    await app.start();

    await clock.advance('1m');

    const { jobs } = await app.get(Jobs).list({ limit: 10 });
    expect({
      jobs: jobs.map(({ name, state, lastError }) => ({ name, state, lastError })),
      failures,
      schedule: app.schedules.get('flaky').failures,
    }).toEqual({
      jobs: [
        { name: 'ordo.schedule:flaky', state: 'dead', lastError: expect.stringContaining('the warehouse is down') },
      ],
      failures: ['flaky: the warehouse is down'],
      schedule: 1,
    });
    await app.stop();
    folder.dispose();
  });
});
