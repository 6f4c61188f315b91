import { Component, Cron, type ScheduleRunContext } from '../../src/index.js';
import { appOf } from '../support/app-fixtures.js';
import { VirtualClock } from '../../src/index.js';

/** The wall-clock time of `at` in `timeZone`, as `YYYY-MM-DD HH:MM` plus its offset name. */
function localTime(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

@Component()
class Weekly {
  readonly runs: number[] = [];

  @Cron('0 3 * * TUE', { timeZone: 'Europe/Berlin' })
  report({ startedAt }: ScheduleRunContext): void {
    this.runs.push(startedAt.getTime());
  }
}

describe('a @Cron with a time zone across daylight-saving changes', () => {
  it('runs a Berlin Tuesday 03:00 job every week of a year, each at 03:00 Berlin time', async () => {
    const { app, clock } = await appOf([Weekly], { clock: new VirtualClock(Date.UTC(2026, 0, 1)) });
    await app.start();

    await clock.advanceTo(Date.UTC(2027, 0, 1));

    const runs = app.get(Weekly).runs;
    expect(runs.length === 52 || runs.length === 53).toBe(true);
    expect(runs.map((at) => localTime(at, 'Europe/Berlin').slice(11, 16))).toEqual(runs.map(() => '03:00'));
    // The weeks around both changes (29 March and 25 October 2026) are there, in summer and in winter time.
    expect(runs.map((at) => localTime(at, 'Europe/Berlin'))).toEqual(
      expect.arrayContaining([
        '2026-03-24 03:00 GMT+1',
        '2026-03-31 03:00 GMT+2',
        '2026-10-20 03:00 GMT+2',
        '2026-10-27 03:00 GMT+1',
      ]),
    );
  });

  async function newYorkRuns(expression: string, from: string, to: string): Promise<string[]> {
    const { app, clock } = await appOf([], { clock: new VirtualClock(new Date(from)) });
    const runs: string[] = [];
    app.schedules.add('daily', { cron: expression, timeZone: 'America/New_York' }, ({ startedAt }) => {
      runs.push(localTime(startedAt.getTime(), 'America/New_York'));
    });
    await app.start();
    await clock.advanceTo(new Date(to));
    return runs;
  }

  it('runs a New York 02:30 job at 03:00 EDT on the spring-forward day, when 02:30 does not exist', async () => {
    const runs = await newYorkRuns('30 2 * * *', '2026-03-07T12:00:00Z', '2026-03-10T12:00:00Z');

    expect(runs).toEqual(['2026-03-08 03:00 EDT', '2026-03-09 02:30 EDT', '2026-03-10 02:30 EDT']);
  });

  it('runs a New York 02:30 job once, at 02:30 EST, on the fall-back day', async () => {
    const runs = await newYorkRuns('30 2 * * *', '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z');

    expect(runs).toEqual(['2026-11-01 02:30 EST', '2026-11-02 02:30 EST']);
  });

  it('runs a New York 01:30 job once on the fall-back day, at the first 01:30', async () => {
    const runs = await newYorkRuns('30 1 * * *', '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z');

    expect(runs).toEqual(['2026-11-01 01:30 EDT', '2026-11-02 01:30 EST']);
  });
});
