import { task, TaskScope } from '../../src/tasks/index.js';
import { VirtualClock } from '../../src/time/index.js';
import { deferred } from './helpers.js';

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
