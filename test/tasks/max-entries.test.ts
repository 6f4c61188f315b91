import { task, TaskScope } from '../../src/tasks/index.js';
import { VirtualClock } from '../../src/time/index.js';
import { deferred } from '../support/task-helpers.js';

function recorder() {
  const ran: number[] = [];
  const echo = task(async (_scope, n: number) => {
    ran.push(n);
    return n;
  });
  return { echo, ran };
}

describe('maxEntries', () => {
  it('evicts the least recently used completed entry first', async () => {
    const { echo, ran } = recorder();
    const scope = new TaskScope({ maxEntries: 2 });
    await echo.run(scope, 1);
    await echo.run(scope, 2);
    await echo.run(scope, 1); // 1 is now more recent than 2

    await echo.run(scope, 3); // evicts 2
    await echo.run(scope, 1);
    await echo.run(scope, 2);

    expect(ran).toEqual([1, 2, 3, 2]);
  });

  it('counts entries of every task in the scope together', async () => {
    const a = recorder();
    const b = recorder();
    const scope = new TaskScope({ maxEntries: 3 });

    for (const n of [1, 2]) {
      await a.echo.run(scope, n);
      await b.echo.run(scope, n);
    }

    expect(scope.size).toBe(3);
  });

  it('never evicts running entries: the scope goes over its bound while they run, and back when they end', async () => {
    const release = deferred();
    const held = task(async (_scope, n: number) => {
      await release.promise;
      return n;
    });
    const scope = new TaskScope({ maxEntries: 2 });

    const runs = [1, 2, 3, 4].map((n) => held.run(scope, n));
    const sizeWhileRunning = scope.size;
    release.resolve();
    await Promise.all(runs);

    expect(sizeWhileRunning).toBe(4);
    expect(scope.size).toBe(2);
    expect(scope.stats.running).toBe(0);
  });

  it('shares a running entry with a later caller even while the scope is over its bound', async () => {
    const release = deferred();
    let runs = 0;
    const held = task(async (_scope, n: number) => {
      runs++;
      await release.promise;
      return n;
    });
    const scope = new TaskScope({ maxEntries: 1 });

    const first = [held.run(scope, 1), held.run(scope, 2)];
    const joined = held.run(scope, 1);
    release.resolve();

    await expect(Promise.all([...first, joined])).resolves.toEqual([1, 2, 1]);
    expect(runs).toBe(2);
  });

  it('removes expired entries before counting against the bound', async () => {
    const clock = new VirtualClock();
    const { echo } = recorder();
    const scope = new TaskScope({ clock, ttl: 100, maxEntries: 10 });
    for (let n = 0; n < 10; n++) await echo.run(scope, n);

    await clock.advance(100);
    await echo.run(scope, 99);

    expect(scope.stats.evictions).toBe(0);
    expect(scope.size).toBe(1);
  });

  it.each([0, -1, 1.5, NaN])('refuses maxEntries %p', (maxEntries) => {
    expect(() => new TaskScope({ maxEntries })).toThrow(/maxEntries/);
  });
});

describe('per-task tables of a long-lived scope', () => {
  it('keeps no table for tasks whose entries were all evicted', async () => {
    const scope = new TaskScope({ maxEntries: 100 });

    for (let n = 0; n < 10_000; n++) await task(async (_scope, input: number) => input).run(scope, n);

    expect(scope.size).toBe(100);
    expect(scope.stats.tables).toBe(100);
  });

  it('drops the table of object inputs too once its entries are evicted', async () => {
    const scope = new TaskScope({ maxEntries: 1 });
    const byQuery = task(async (_scope, query: { id: number }) => query.id);
    const byId = task(async (_scope, id: number) => id);

    await byQuery.run(scope, { id: 1 });
    await byId.run(scope, 1);

    expect(scope.stats.tables).toBe(1);
  });

  it('drops a table when its last entry expires', async () => {
    const clock = new VirtualClock();
    const scope = new TaskScope({ clock, ttl: 100 });
    const { echo } = recorder();
    await echo.run(scope, 1);

    await clock.advance(100);
    await task(async (_scope, n: number) => n).run(scope, 2); // sweeps the expired entry of echo

    expect(scope.stats.tables).toBe(1);
  });

  it('drops the table of a task whose run failed and was not cached', async () => {
    const scope = new TaskScope();
    const failing = task(async (_scope, _n: number): Promise<number> => {
      throw new Error('down');
    });

    await failing.run(scope, 1).catch(() => undefined);

    expect(scope.stats.tables).toBe(0);
  });

  it('keeps sharing runs of a task whose table was dropped and made again', async () => {
    const { echo, ran } = recorder();
    const scope = new TaskScope({ maxEntries: 1 });
    const other = task(async (_scope, n: number) => n);
    await echo.run(scope, 1);
    await other.run(scope, 1); // evicts echo(1), and with it echo's table

    await Promise.all([echo.run(scope, 1), echo.run(scope, 1)]);
    await echo.run(scope, 1);

    expect(ran).toEqual([1, 1]);
  });
});

/** A defect ANCHORS.md records in Vorma's kit/tasks: the cache of a long-lived context grows without bound. */
describe('Vorma defect, done right', () => {
  it('keeps a long-lived scope within maxEntries instead of growing without bound', async () => {
    const double = task(async (_scope, n: number) => n * 2);
    const scope = new TaskScope({ maxEntries: 100 });

    for (let n = 0; n < 1_000; n++) await double.run(scope, n);

    expect(scope.size).toBe(100);
    expect(scope.stats.evictions).toBe(900);
  });
});
