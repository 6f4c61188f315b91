import { jest } from '@jest/globals';
import { task, TaskScope } from '../../src/tasks/index.js';
import { SystemClock, VirtualClock } from '../../src/time/index.js';
import { FakeHost } from '../support/fake-host.js';

/** A task that returns how many times it has run, after `takes` ms on the clock. */
function countingTask(clock: VirtualClock, takes = 0, ttl?: number | string) {
  let runs = 0;
  const counted = task(
    async (_scope, _id: string) => {
      const n = ++runs;
      if (takes > 0) await clock.sleep(takes);
      return n;
    },
    ttl === undefined ? {} : { ttl },
  );
  return { counted, runs: () => runs };
}

describe('ttl', () => {
  it('shares an in-flight run with ttl 0, then runs again once it completed', async () => {
    const clock = new VirtualClock();
    const { counted } = countingTask(clock, 10);
    const scope = new TaskScope({ clock, ttl: 0 });

    const concurrent = [counted.run(scope, '1'), counted.run(scope, '1')];
    await clock.advance(10);
    const firstWave = await Promise.all(concurrent);
    const next = counted.run(scope, '1');
    await clock.advance(10);

    expect(firstWave).toEqual([1, 1]);
    await expect(next).resolves.toBe(2);
  });

  it('expires a result exactly ttl after its completion', async () => {
    const clock = new VirtualClock();
    const { counted } = countingTask(clock);
    const scope = new TaskScope({ clock, ttl: '1s' });
    await counted.run(scope, '1');

    await clock.advance(999);
    const justBefore = await counted.run(scope, '1');
    await clock.advance(1);
    const atTtl = await counted.run(scope, '1');

    expect([justBefore, atTtl]).toEqual([1, 2]);
  });

  it('never expires an in-flight run, however long it takes', async () => {
    const clock = new VirtualClock();
    const { counted, runs } = countingTask(clock, 10_000);
    const scope = new TaskScope({ clock, ttl: 100 });

    const first = counted.run(scope, '1');
    await clock.advance(5_000);
    const joined = counted.run(scope, '1');
    await clock.advance(5_000);

    await expect(Promise.all([first, joined])).resolves.toEqual([1, 1]);
    expect(runs()).toBe(1);
  });

  it("lets a task's own ttl override the scope's", async () => {
    const clock = new VirtualClock();
    const { counted } = countingTask(clock, 0, '10s');
    const scope = new TaskScope({ clock, ttl: '1s' });
    await counted.run(scope, '1');

    await clock.advance('5s');
    const afterScopeTtl = await counted.run(scope, '1');
    await clock.advance('5s');
    const afterTaskTtl = await counted.run(scope, '1');

    expect([afterScopeTtl, afterTaskTtl]).toEqual([1, 2]);
  });

  it('gives a task with a ttl an expiry even in a scope without one', async () => {
    const clock = new VirtualClock();
    const { counted } = countingTask(clock, 0, 100);
    const scope = new TaskScope({ clock });
    await counted.run(scope, '1');

    await clock.advance(100);

    await expect(counted.run(scope, '1')).resolves.toBe(2);
  });

  it('sweeps at the pace of the shortest ttl in use', async () => {
    const clock = new VirtualClock();
    const shortLived = countingTask(clock, 0, 100).counted;
    const longLived = countingTask(clock, 0, '1h').counted;
    const scope = new TaskScope({ clock });
    await longLived.run(scope, 'a');
    await shortLived.run(scope, 'a');

    await clock.advance(100);
    await longLived.run(scope, 'a');

    expect(scope.stats.sweeps).toBe(1);
    expect(scope.size).toBe(1);
  });

  it('never sweeps a scope without ttls, and reads no clock on its hits', async () => {
    const clock = new VirtualClock();
    const { counted } = countingTask(clock);
    const scope = new TaskScope({ clock });
    await counted.run(scope, '1');
    const now = jest.spyOn(clock, 'now');

    await clock.advance('1d');
    await counted.run(scope, '1');

    expect(scope.stats.sweeps).toBe(0);
    expect(now).not.toHaveBeenCalled();
  });

  it('keeps a cached failure for its ttl, then runs again', async () => {
    const clock = new VirtualClock();
    let runs = 0;
    const failing = task(
      async (_scope, _id: string): Promise<string> => {
        runs++;
        throw new Error(`failure ${runs}`);
      },
      { cacheErrors: true, ttl: 100 },
    );
    const scope = new TaskScope({ clock });
    await expect(failing.run(scope, '1')).rejects.toThrow('failure 1');

    await clock.advance(50);
    await expect(failing.run(scope, '1')).rejects.toThrow('failure 1');
    await clock.advance(50);
    await expect(failing.run(scope, '1')).rejects.toThrow('failure 2');
  });
});

describe('ttl on the system clock', () => {
  /** A scope on a SystemClock whose host time the test moves, and a task that counts its runs. */
  async function filledScope() {
    const host = new FakeHost();
    const scope = new TaskScope({ clock: new SystemClock({ host }), ttl: 1_000 });
    let runs = 0;
    const counted = task(async (_scope, _id: string) => ++runs);
    await counted.run(scope, '1');
    return { host, scope, counted };
  }

  it('reads the clock once per event-loop turn, however many hits the turn has', async () => {
    const { host, scope, counted } = await filledScope();
    const now = jest.spyOn(host, 'now');

    for (let hit = 0; hit < 100; hit++) await counted.run(scope, '1');

    expect(now).toHaveBeenCalledTimes(1);
  });

  it("judges expiry by the turn's reading: a result past its ttl goes on the first hit of the next turn", async () => {
    const { host, scope, counted } = await filledScope();
    host.runUntil(999);
    await counted.run(scope, '1');

    host.time = 1_000; // time passes within the turn: its reading is kept
    const sameTurn = await counted.run(scope, '1');
    host.runUntil(1_000); // the loop runs timers: the turn is over
    const nextTurn = await counted.run(scope, '1');

    expect([sameTurn, nextTurn]).toEqual([1, 2]);
  });
});

describe('ttl on a clock that shares readings per turn', () => {
  /** A scope on a VirtualClock that reads per turn as the system clock does, with a completed result. */
  async function filledScope() {
    const clock = new VirtualClock(0, { coarseNowPerTurn: true });
    const scope = new TaskScope({ clock, ttl: 1_000 });
    let runs = 0;
    const counted = task(async (_scope, _id: string) => ++runs);
    await counted.run(scope, '1');
    return { clock, scope, counted };
  }

  it('reads the clock once per turn on hits, as it does on the system clock, whatever the clock class', async () => {
    const { clock, scope, counted } = await filledScope();
    const now = jest.spyOn(clock, 'now');

    for (let hit = 0; hit < 100; hit++) await counted.run(scope, '1');

    expect({ reads: now.mock.calls.length, timers: clock.pendingTimers() }).toEqual({ reads: 1, timers: 1 });
  });

  it('still expires a result exactly ttl after its completion', async () => {
    const { clock, scope, counted } = await filledScope();
    await clock.advance(999);
    const before = await counted.run(scope, '1');
    await clock.advance(1);
    const at = await counted.run(scope, '1');

    expect([before, at]).toEqual([1, 2]);
  });
});

/**
 * A defect ANCHORS.md records in Vorma's kit/tasks: the ttl is counted from the start of a run, so a run longer
 * than its ttl is started again.
 */
describe('Vorma defect, done right', () => {
  it('counts the ttl from completion: a run longer than its ttl is not restarted while in flight', async () => {
    const clock = new VirtualClock();
    let runs = 0;
    const slow = task(async (_scope, _id: string) => {
      runs++;
      await clock.sleep(150);
      return runs;
    });
    const scope = new TaskScope({ clock, ttl: 100 });

    const first = slow.run(scope, '1');
    await clock.advance(120);
    const joined = slow.run(scope, '1');
    await clock.advance(30);
    const results = await Promise.all([first, joined]);
    await clock.advance(99);
    const stillCached = await slow.run(scope, '1');
    await clock.advance(1);
    const refreshed = slow.run(scope, '1');
    await clock.advance(150);

    expect(results).toEqual([1, 1]);
    expect(stillCached).toBe(1);
    await expect(refreshed).resolves.toBe(2);
  });
});
