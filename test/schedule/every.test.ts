import { inject } from 'inversify';
import { Clock, Component, Every, OnStart, type ScheduleRunContext } from '../../src/index.js';
import { appOf, Journal } from '../support/app-fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

@Component()
class Hourly {
  readonly runs: Array<{ scheduledAt: number; startedAt: number; previousAt?: number; nextAt?: number }> = [];
  readonly finished: number[] = [];

  constructor(@inject(Journal) private readonly journal: Journal) {}

  @Every('1h')
  async report(run: ScheduleRunContext): Promise<void> {
    this.journal.record(`start ${run.scheduledAt.getTime()}`);
    this.runs.push({
      scheduledAt: run.scheduledAt.getTime(),
      startedAt: run.startedAt.getTime(),
      previousAt: run.previousAt?.getTime(),
      nextAt: run.nextAt?.getTime(),
    });
    await Promise.resolve();
    this.journal.record(`end ${run.scheduledAt.getTime()}`);
  }
}

describe('an @Every schedule', () => {
  it('runs an hourly job three times in advance("3h"), at +1h, +2h and +3h, each finished before the next', async () => {
    const { app, clock, journal } = await appOf([Hourly]);
    await app.start();
    const began = clock.now();

    await clock.advance('3h');

    const at = [1, 2, 3].map((hours) => began + hours * HOUR);
    expect(journal.entries).toEqual(at.flatMap((t) => [`start ${t}`, `end ${t}`]));
    expect(app.get(Hourly).runs.map((run) => run.startedAt)).toEqual(at);
  });

  it('hands each run its slot, the previous slot and the next one', async () => {
    const { app, clock } = await appOf([Hourly]);
    await app.start();
    const began = clock.now();

    await clock.advance('2h');

    expect(app.get(Hourly).runs).toEqual([
      { scheduledAt: began + HOUR, startedAt: began + HOUR, previousAt: undefined, nextAt: began + 2 * HOUR },
      {
        scheduledAt: began + 2 * HOUR,
        startedAt: began + 2 * HOUR,
        previousAt: began + HOUR,
        nextAt: began + 3 * HOUR,
      },
    ]);
  });

  it('counts the period from the end of start(), not from create()', async () => {
    const { app, clock } = await appOf([Hourly]);
    await clock.advance('30m');
    await app.start();
    const began = clock.now();

    await clock.advance('1h');

    expect(app.get(Hourly).runs.map((run) => run.startedAt)).toEqual([began + HOUR]);
  });
});

@Component()
class SlowBoot {
  constructor(
    @inject(Journal) private readonly journal: Journal,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  @OnStart() async boot(): Promise<void> {
    this.journal.record('boot begins');
    await this.clock.sleep('20s');
    this.journal.record('boot ends');
  }

  @Every('5s', { immediate: true })
  tick(): void {
    this.journal.record('tick');
  }
}

describe('when schedules start', () => {
  it('fires nothing for slots that passed during boot, and an immediate schedule once when start() ends', async () => {
    const { app, clock, journal } = await appOf([SlowBoot]);
    const starting = app.start();
    await clock.waitForTimers(2); // the start's timeout and the boot's sleep
    await clock.advance('20s');
    await starting;

    expect(journal.entries).toEqual(['boot begins', 'boot ends', 'tick']);
  });
});

describe('the scheduler', () => {
  it('arms one Clock timer for a thousand schedules', async () => {
    const { app, clock } = await appOf([]);
    for (let i = 0; i < 1000; i++) app.schedules.add(`job${i}`, { every: `${(i % 50) + 1}m` }, () => undefined);
    await app.start();

    await clock.advance('2h');

    expect(clock.pendingTimers()).toBe(1);
    expect(app.schedules.get('job0').runs).toBe(120);
  });

  it('delays each run by a jitter that is the same in every app for the same schedule name, within the jitter', async () => {
    const startsIn = async () => {
      const { app, clock } = await appOf([]);
      const offsets: number[] = [];
      app.schedules.add('spread', { every: '1h', jitter: '10m' }, ({ scheduledAt, startedAt }) => {
        offsets.push(startedAt.getTime() - scheduledAt.getTime());
      });
      await app.start();
      await clock.advance('5h');
      return offsets;
    };

    const first = await startsIn();
    const second = await startsIn();

    expect(first).toHaveLength(4);
    expect(second).toEqual(first);
    expect(first.every((offset) => offset >= 0 && offset < 10 * MINUTE)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(1);
  });
});
