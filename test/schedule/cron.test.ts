import { VirtualClock } from '../../src/index.js';
import { appOf } from '../support/app-fixtures.js';

/** The days (UTC, `MM-DD`) a cron ran on during January 2026. */
async function daysInJanuary(expression: string): Promise<string[]> {
  const { app, clock } = await appOf([], { clock: new VirtualClock(Date.UTC(2026, 0, 1)) });
  const days: string[] = [];
  app.schedules.add('cron', { cron: expression, timeZone: 'UTC' }, ({ startedAt }) => {
    days.push(startedAt.toISOString().slice(5, 10));
  });
  await app.start();
  await clock.advanceTo(Date.UTC(2026, 1, 1));
  return days;
}

describe('a @Cron expression', () => {
  it('combines day of month and day of week with OR, as classic cron does', async () => {
    // January 2026: the 1st is a Thursday; the Mondays are the 5th, 12th, 19th and 26th.
    expect(await daysInJanuary('0 20 1 * MON')).toEqual(['01-01', '01-05', '01-12', '01-19', '01-26']);
  });

  it("combines them with AND when the weekday field starts with '+'", async () => {
    expect(await daysInJanuary('0 20 1-7 * +MON')).toEqual(['01-05']);
  });

  it('fires a yearly cron past the 24.8-day limit of host timers', async () => {
    const { app, clock } = await appOf([], { clock: new VirtualClock(Date.UTC(2026, 0, 2)) });
    const runs: string[] = [];
    app.schedules.add('yearly', { cron: '0 0 1 1 *', timeZone: 'UTC' }, ({ startedAt }) => {
      runs.push(startedAt.toISOString());
    });
    await app.start();

    await clock.advanceTo(Date.UTC(2027, 0, 1, 1));

    expect(runs).toEqual(['2027-01-01T00:00:00.000Z']);
  });
});
