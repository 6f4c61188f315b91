import { VirtualClock } from '../../src/index.js';
import { NightlyReport, createNightlyReportApp } from './nightly-report.js';

// Two weeks (and half an hour, so no run is in flight at the stop) on a VirtualClock, in well under a second: the way a test runs the schedules, with no global patched.
const clock = new VirtualClock(Date.UTC(2026, 2, 23)); // Monday 2026-03-23, the week Berlin moves to summer time
const app = await createNightlyReportApp({ clock });
await app.start();
await clock.advance('14d30m');
const report = app.get(NightlyReport);
console.log(`hourly refreshes: ${report.refreshes.length}`);
for (const { at } of report.reports) {
  console.log(
    `weekly report at ${at.toISOString()} (${at.toLocaleString('en-GB', { timeZone: 'Europe/Berlin' })} in Berlin)`,
  );
}
for (const schedule of app.schedules.list()) {
  console.log(`${schedule.name}: ${schedule.runs} runs, next ${schedule.nextRun?.toISOString()}`);
}
const stopped = await app.stop('sample finished');
console.log(`stopped: ok=${stopped.ok}`);
