import { temporaryFolder } from '../../jobs/sqlite/sqlite-harness.js';
import { clusterApps, Report, Rollup, runs, slotsBetween, tickJobs } from './cluster-fixtures.js';

const MINUTE = 60_000;

describe('a cluster schedule on one SQLite file shared by two app instances', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  let stop: (() => Promise<void>) | undefined;

  beforeEach(() => {
    folder = temporaryFolder();
  });

  afterEach(async () => {
    await stop?.();
    stop = undefined;
    folder.dispose();
  });

  it('runs each tick of an @Every exactly once across both, on the slots since the epoch', async () => {
    const cluster = await clusterApps(folder.file(), [Rollup]);
    stop = cluster.stop;
    const began = cluster.clock.now();

    await cluster.clock.advance('10m');

    const expected = slotsBetween(began, began + 10 * MINUTE, MINUTE);
    expect(runs.map((run) => run.scheduledAt).sort()).toEqual(expected);
  });

  it('runs each tick of a @Cron exactly once across both', async () => {
    const cluster = await clusterApps(folder.file(), [Report]);
    stop = cluster.stop;
    const began = cluster.clock.now();

    await cluster.clock.advance('30m');

    expect(runs.map((run) => run.scheduledAt).sort()).toEqual(slotsBetween(began, began + 30 * MINUTE, 5 * MINUTE));
  });

  it('enqueues one job per tick, whichever instance reached the slot first', async () => {
    const cluster = await clusterApps(folder.file(), [Rollup]);
    stop = cluster.stop;

    await cluster.clock.advance('5m');

    const jobs = await tickJobs(cluster.apps[0]!, 'rollup');
    expect(jobs.map((job) => job.state)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
  });

  it("hands each run its slot, the schedule's previous slot and its next", async () => {
    const cluster = await clusterApps(folder.file(), [Rollup]);
    stop = cluster.stop;

    await cluster.clock.advance('3m');

    const [, second] = [...runs].sort((a, b) => a.scheduledAt - b.scheduledAt);
    expect(second).toMatchObject({
      previousAt: second!.scheduledAt - MINUTE,
      nextAt: second!.scheduledAt + MINUTE,
    });
  });

  it('gives a cron tick its previous and next slots from the expression', async () => {
    const cluster = await clusterApps(folder.file(), [Report]);
    stop = cluster.stop;

    await cluster.clock.advance('5m');

    const [first] = runs;
    expect(first).toMatchObject({
      previousAt: first!.scheduledAt - 5 * MINUTE,
      nextAt: first!.scheduledAt + 5 * MINUTE,
    });
  });

  it('keeps the ticks going in one instance when the other pauses: pause is local', async () => {
    const cluster = await clusterApps(folder.file(), [Rollup]);
    stop = cluster.stop;
    const began = cluster.clock.now();

    cluster.apps[0]!.schedules.pause('rollup');
    await cluster.clock.advance('4m');

    expect(runs.map((run) => run.scheduledAt).sort()).toEqual(slotsBetween(began, began + 4 * MINUTE, MINUTE));
  });

  it('enqueues no tick once every instance paused', async () => {
    const cluster = await clusterApps(folder.file(), [Rollup]);
    stop = cluster.stop;

    for (const app of cluster.apps) app.schedules.pause('rollup');
    await cluster.clock.advance('4m');

    expect(await tickJobs(cluster.apps[0]!, 'rollup')).toEqual([]);
  });

  it('reports a cluster schedule as such, with its next slot', async () => {
    const cluster = await clusterApps(folder.file(), [Rollup]);
    stop = cluster.stop;
    const next = slotsBetween(cluster.clock.now(), cluster.clock.now() + MINUTE, MINUTE)[0]!;

    const info = cluster.apps[1]!.schedules.get('rollup');

    expect(info).toMatchObject({ cluster: true, nextRun: new Date(next) });
  });

  it('counts in each instance the ticks it ran', async () => {
    const cluster = await clusterApps(folder.file(), [Rollup]);
    stop = cluster.stop;

    await cluster.clock.advance('6m');

    const counted = cluster.apps.map((app) => app.schedules.get('rollup').runs);
    expect(counted[0]! + counted[1]!).toBe(6);
  });

  it('runs a triggered tick here and now, outside the queue', async () => {
    const cluster = await clusterApps(folder.file(), [Rollup]);
    stop = cluster.stop;

    const outcome = await cluster.apps[1]!.schedules.trigger('rollup');

    expect({ outcome, ran: runs.map((run) => run.instance), jobs: await tickJobs(cluster.apps[0]!, 'rollup') }).toEqual(
      { outcome: { status: 'succeeded' }, ran: ['b'], jobs: [] },
    );
  });
});
