import { Component, Cron, Every, Schedules, type ScheduleRunContext } from '../../src/index.js';
import { appOf } from '../support/app-fixtures.js';

const MINUTE = 60_000;

@Component()
class Jobs {
  readonly runs: string[] = [];

  @Every('10m', { name: 'refresh' })
  refresh(): void {
    this.runs.push('refresh');
  }

  @Cron('0 3 * * *', { timeZone: 'Europe/Berlin' })
  nightly(): void {
    this.runs.push('nightly');
  }
}

describe('app.schedules', () => {
  it('lists every schedule with its kind, expression or period, time zone, next run and counts', async () => {
    const { app, clock } = await appOf([Jobs]);
    await app.start();
    const began = clock.now();

    expect(app.schedules.list()).toEqual([
      expect.objectContaining({
        name: 'refresh',
        kind: 'every',
        period: 10 * MINUTE,
        expression: undefined,
        nextRun: new Date(began + 10 * MINUTE),
        lastRun: undefined,
        lastOutcome: undefined,
        running: false,
        paused: false,
        runs: 0,
        failures: 0,
        skips: 0,
      }),
      expect.objectContaining({
        name: 'Jobs.nightly',
        kind: 'cron',
        expression: '0 3 * * *',
        timeZone: 'Europe/Berlin',
        nextRun: new Date('2026-01-01T02:00:00Z'),
      }),
    ]);
  });

  it('gets one schedule, with its last run and outcome', async () => {
    const { app, clock } = await appOf([Jobs]);
    await app.start();

    await clock.advance('10m');

    expect(app.schedules.get('refresh')).toMatchObject({
      lastRun: new Date(clock.now()),
      lastOutcome: 'succeeded',
      runs: 1,
    });
  });

  it('is injectable as Schedules', async () => {
    const { app } = await appOf([Jobs]);

    expect(app.get(Schedules)).toBe(app.schedules);
  });

  it('triggers a run now and resolves with its outcome once it finished', async () => {
    const { app } = await appOf([]);
    const error = new Error('no data');
    app.schedules.add('ok', { every: '1h' }, () => Promise.resolve());
    app.schedules.add('failing', { every: '1h' }, () => Promise.reject(error));
    await app.start();

    await expect(app.schedules.trigger('ok')).resolves.toEqual({ status: 'succeeded' });
    await expect(app.schedules.trigger('failing')).resolves.toEqual({ status: 'failed', error });
  });

  it('honours the overlap policy when triggering: a trigger during a run is skipped under skip', async () => {
    const { app, clock } = await appOf([]);
    app.schedules.add('slow', { every: '1h' }, ({ signal }) => clock.sleep('5m', signal));
    await app.start();
    const first = app.schedules.trigger('slow');

    await expect(app.schedules.trigger('slow')).resolves.toEqual({ status: 'skipped' });
    await clock.advance('5m');
    await expect(first).resolves.toEqual({ status: 'succeeded' });
  });

  it('refuses to trigger before schedules started', async () => {
    const { app } = await appOf([Jobs]);

    await expect(app.schedules.trigger('refresh')).rejects.toMatchObject({ code: 'ORDO_SCHEDULE_STOPPED' });
  });

  it('pauses a schedule, so that its slots pass without a run, and resumes it from its next slot', async () => {
    const { app, clock } = await appOf([Jobs]);
    await app.start();

    app.schedules.pause('refresh');
    await clock.advance('30m');
    const paused = app.schedules.get('refresh');
    app.schedules.resume('refresh');
    await clock.advance('10m');

    expect(paused).toMatchObject({ paused: true, nextRun: undefined, runs: 0 });
    expect(app.schedules.get('refresh')).toMatchObject({ paused: false, runs: 1 });
  });

  it('adds a schedule at run time, whose period counts from when it was added', async () => {
    const { app, clock } = await appOf([]);
    await app.start();
    await clock.advance('7m');
    const added = clock.now();
    const slots: number[] = [];

    app.schedules.add('late', { every: '5m' }, ({ scheduledAt }: ScheduleRunContext) => {
      slots.push(scheduledAt.getTime());
    });
    await clock.advance('10m');

    expect(slots).toEqual([added + 5 * MINUTE, added + 10 * MINUTE]);
  });

  it('checks what add() is given as the decorators are checked', () => {
    return appOf([]).then(({ app }) => {
      expect(() => app.schedules.add('bad', { every: '0s' }, () => undefined)).toThrow(
        expect.objectContaining({ code: 'ORDO_INVALID_SCHEDULE' }),
      );
      expect(() => app.schedules.add('bad', { cron: '0 0 32 * *' }, () => undefined)).toThrow(
        expect.objectContaining({ code: 'ORDO_INVALID_CRON' }),
      );
      expect(() =>
        app.schedules.add('bad', { cron: '0 3 * * *', timeZone: 'Europe/Berlinn' }, () => undefined),
      ).toThrow(expect.objectContaining({ code: 'ORDO_INVALID_TIME_ZONE' }));
      expect(() => app.schedules.add('bad', { every: '1h', cron: '0 3 * * *' } as never, () => undefined)).toThrow(
        expect.objectContaining({ code: 'ORDO_INVALID_SCHEDULE' }),
      );
    });
  });

  it('refuses to add a schedule under a name in use', async () => {
    const { app } = await appOf([Jobs]);

    expect(() => app.schedules.add('refresh', { every: '1h' }, () => undefined)).toThrow(
      expect.objectContaining({ code: 'ORDO_DUPLICATE_SCHEDULE_NAME' }),
    );
  });

  it('removes a schedule, which then never runs', async () => {
    const { app, clock } = await appOf([Jobs]);
    await app.start();

    app.schedules.remove('refresh');
    await clock.advance('1h');

    expect(app.get(Jobs).runs).toEqual([]);
    expect(app.schedules.list().map((schedule) => schedule.name)).toEqual(['Jobs.nightly']);
  });

  it('resolves a queued trigger with the outcome of the run it queued, once the running one finished', async () => {
    const { app, clock } = await appOf([]);
    const order: string[] = [];
    let runs = 0;
    app.schedules.add('queued', { every: '1h', overlap: 'queue' }, async ({ signal }) => {
      const run = ++runs;
      order.push(`start ${run}`);
      await clock.sleep('5m', signal);
      order.push(`end ${run}`);
    });
    await app.start();
    const first = app.schedules.trigger('queued');
    const second = app.schedules.trigger('queued');
    const third = app.schedules.trigger('queued');

    await clock.advance('10m');

    await expect(Promise.all([first, second, third])).resolves.toEqual([
      { status: 'succeeded' },
      { status: 'succeeded' },
      { status: 'skipped' },
    ]);
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('lists at most 20 of the known names in an unknown-name error', async () => {
    const { app } = await appOf([]);
    for (let i = 0; i < 25; i++) app.schedules.add(`job${i}`, { every: '1h' }, () => undefined);

    expect(() => app.schedules.get('nope')).toThrow(/"job19" and 5 more \(see app.schedules.list\(\)\)/);
  });

  it.each(['get', 'trigger', 'pause', 'resume', 'remove'] as const)(
    'answers %s of an unknown name with an error naming it and the known ones',
    async (verb) => {
      const { app } = await appOf([Jobs]);
      await app.start();

      let error: unknown;
      try {
        await app.schedules[verb]('refesh');
      } catch (caught) {
        error = caught;
      }

      expect(error).toMatchObject({ code: 'ORDO_UNKNOWN_SCHEDULE', schedule: 'refesh' });
      expect((error as Error).message).toContain('"refesh"');
      expect((error as Error).message).toContain('the schedules are "refresh", "Jobs.nightly"');
    },
  );
});
