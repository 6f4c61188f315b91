import { VirtualClock } from '../../src/index.js';
import {
  Database,
  NightlyReport,
  ReportTimings,
  createNightlyReportApp,
} from '../../samples/nightly-report/nightly-report.js';

const MONDAY = Date.UTC(2026, 2, 23); // the week Berlin moves to summer time (Sunday 2026-03-29)
const HOUR = 3_600_000;

describe('the nightly-report sample', () => {
  it('refreshes every hour from the end of the boot, each run at its hour', async () => {
    const clock = new VirtualClock(MONDAY);
    const app = await createNightlyReportApp({ clock, print: () => {} });
    await app.start();

    await clock.advance('6h30m');

    expect(app.get(NightlyReport).refreshes.map((at) => at.getTime() - MONDAY)).toEqual([
      HOUR,
      2 * HOUR,
      3 * HOUR,
      4 * HOUR,
      5 * HOUR,
      6 * HOUR,
    ]);
    await app.stop();
  });

  it('writes the weekly report on Tuesdays at 03:00 Berlin time, before and after the change to summer time', async () => {
    const clock = new VirtualClock(MONDAY);
    const app = await createNightlyReportApp({ clock, print: () => {} });
    await app.start();

    await clock.advance('14d30m');

    expect(app.get(NightlyReport).reports.map(({ at }) => at.toISOString())).toEqual([
      '2026-03-24T02:00:00.000Z', // 03:00 CET
      '2026-03-31T01:00:00.000Z', // 03:00 CEST
    ]);
    expect(app.get(NightlyReport).reports[1]!.from?.toISOString()).toBe('2026-03-24T02:00:00.000Z');
    await app.stop();
  });

  it('lets the weekly report in flight at stop finish before the database closes', async () => {
    const clock = new VirtualClock(MONDAY);
    const app = await createNightlyReportApp({ clock, print: () => {}, timings: new ReportTimings('2s', '10s') });
    await app.start();
    await clock.advanceTo(Date.parse('2026-03-24T02:00:05.000Z')); // five seconds into the report

    const stopped = app.stop('deploy');
    await clock.advance('5s');
    const report = await stopped;

    expect(report.ok).toBe(true);
    expect(app.get(NightlyReport).reports).toHaveLength(1);
    expect(app.get(Database).queriesAfterClose).toEqual([]);
  });

  it('runs nothing once the app stopped', async () => {
    const clock = new VirtualClock(MONDAY);
    const app = await createNightlyReportApp({ clock, print: () => {} });
    await app.start();
    await clock.advance('2h30m');
    await app.stop();

    await clock.advance('7d');

    expect(app.get(NightlyReport).refreshes).toHaveLength(2);
    expect(clock.pendingTimers()).toBe(0);
  });
});
