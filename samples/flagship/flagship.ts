/**
 * The flagship sample, run by `npm start`: a service boots in dependency order, answers a request and its
 * readiness probe, and stops in reverse order; a request composes memoized tasks; periodic jobs run after the boot
 * on a virtual week; a sign-up's welcome email is a durable job, retried once; then the two clocks show what they
 * are for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Jobs, SystemClock, VirtualClock, formatDuration } from '../../src/index.js';
import { createEmailBatchApp, Signup, untilIdle } from '../email-batch/email-batch.js';
import { createEnrichedUserApp, HttpApi as EnrichedApi } from '../enriched-user/app.js';
import { Upstream } from '../enriched-user/services.js';
import { createLifecycleApp } from '../lifecycle-order/app.js';
import { HttpServer } from '../lifecycle-order/services.js';
import { createNightlyReportApp, NightlyReport } from '../nightly-report/nightly-report.js';

/** Runs the whole tour, sending every line to `print`. */
export async function runFlagship(print: (line: string) => void = console.log): Promise<void> {
  print('== A service: database, cache and HTTP server, started in dependency order');
  const app = await createLifecycleApp((line) => print(`  ${line}`));
  print(`  start order (waves): ${app.startOrder.map((wave) => wave.join(' + ')).join(' -> ')}`);
  await app.start();
  const health = await app.listenHealth();
  const greeting = await (await fetch(`http://127.0.0.1:${app.get(HttpServer).port}/`)).json();
  const ready = await fetch(`${health.url}/readyz`);
  print(`  GET / -> ${JSON.stringify(greeting)}`);
  print(`  GET /readyz -> ${ready.status} ${JSON.stringify(await ready.json())}`);
  const report = await app.stop('tour finished');
  print(`  stopped: ${report.stopped.join(', ')} (ok: ${report.ok})`);

  print('== Memoized tasks: one request scope per request');
  const tasksApp = await createEnrichedUserApp(() => undefined);
  await tasksApp.start();
  const enriched = await (await fetch(`http://127.0.0.1:${tasksApp.get(EnrichedApi).port}/users/1`)).json();
  print(`  GET /users/1 -> ${JSON.stringify(enriched)}`);
  print(`  user fetched ${tasksApp.get(Upstream).callsTo('user:1')} time(s) for enrichedUser + getPosts`);
  await tasksApp.stop('tour finished');

  print('== Scheduled work: an hourly @Every and a weekly @Cron in Berlin time, through a virtual week');
  const weekClock = new VirtualClock(new Date('2026-03-23T00:00:00Z'));
  const reportApp = await createNightlyReportApp({ clock: weekClock, print: () => undefined });
  await reportApp.start();
  await weekClock.advance('7d30m');
  const nightly = reportApp.get(NightlyReport);
  print(`  hourly refreshes: ${nightly.refreshes.length}, first at ${nightly.refreshes[0]?.toISOString()}`);
  for (const { at } of nightly.reports) print(`  weekly report for ${at.toISOString()} (03:00 in Berlin)`);
  for (const { name, runs, nextRun } of reportApp.schedules.list())
    print(`  ${name}: ${runs} runs, next ${nextRun?.toISOString()}`);
  await reportApp.stop('tour finished');

  print('== Durable jobs: a sign-up enqueues its welcome email, a @Job sends it, retried after a failure');
  const folder = mkdtempSync(join(tmpdir(), 'ordo-flagship-'));
  try {
    const mailApp = await createEmailBatchApp({ jobs: { sqlite: { path: join(folder, 'jobs.db') } }, print: () => {} });
    mailApp.events.on('job:failed', ({ attempt, error, willRetry }) =>
      print(
        `  attempt ${attempt} failed: ${(error as Error).message}${willRetry ? ', retried after the backoff' : ''}`,
      ),
    );
    await mailApp.start();
    const id = await mailApp.get(Signup).register('u7', 'grace@example.com');
    print(`  register(u7, grace@example.com) -> welcome email is job ${id}, sent by Mailer.send on a SQLite file`);
    await untilIdle(mailApp);
    const job = await mailApp.get(Jobs).get(id);
    print(`  job ${id}: ${job?.state} on attempt ${job?.attempts}`);
    await mailApp.stop('tour finished');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  print('== The system clock: real time');
  const system = new SystemClock();
  const began = system.now();
  await system.sleep('100ms');
  // Node fires a timer on its event loop's cached time, which can make a 100 ms sleep measure 99 ms on Date.now.
  print(`  slept 100ms, ${system.now() - began >= 90 ? 'about' : 'far less than'} 100 ms of real time passed`);

  print('== The virtual clock: an hourly ticker through 3h10m, each tick handled before the next, without waiting');
  const clock = new VirtualClock(new Date('2026-03-01T00:00:00Z'));
  const ticker = clock.ticker('1h');
  const consumed = (async () => {
    for await (const at of ticker) {
      await clock.sleep('10m');
      print(`  tick at ${new Date(at).toISOString()}, handled by ${clock.date().toISOString()}`);
    }
  })();
  const realBegan = system.now();
  await clock.advance('3h10m');
  ticker.stop();
  await consumed;
  print(`  ${formatDuration(3 * 3_600_000 + 600_000)} of virtual time in ${system.now() - realBegan} ms of real time`);
}
