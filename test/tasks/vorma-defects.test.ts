/**
 * One test per defect ANCHORS.md records in Vorma's kit/tasks (and the singleflight complaint), each showing
 * what Ordo does instead.
 */
import { type Task, task, TaskCycleError, TaskScope } from '../../src/tasks/index.js';
import { VirtualClock } from '../../src/time/index.js';
import { type Deferred, deferred, outcome, settleMicrotasks } from './helpers.js';

describe('Vorma defects, done right', () => {
  it('does not cache errors: the next caller runs the task again', async () => {
    let runs = 0;
    const flaky = task(async (_scope, _id: string) => {
      runs++;
      if (runs === 1) throw new Error('upstream down');
      return 'ok';
    });
    const scope = new TaskScope();

    const first = await outcome(flaky.run(scope, '1'));
    const second = await flaky.run(scope, '1');

    expect(first).toEqual({ status: 'rejected', reason: new Error('upstream down') });
    expect(second).toBe('ok');
  });

  it('gives every caller of a task that threw a rejection, never a silent empty value', async () => {
    const panics = task(
      (_scope, _id: string): Promise<string> => {
        throw undefined; // eslint-disable-line no-throw-literal -- the JS analogue of a Go panic with no value
      },
      { cacheErrors: true },
    );
    const scope = new TaskScope();

    const first = await outcome(panics.run(scope, '1'));
    const later = await outcome(panics.run(scope, '1'));

    expect(first).toEqual({ status: 'rejected', reason: undefined });
    expect(later).toEqual({ status: 'rejected', reason: undefined });
  });

  it('does not cache a sibling aborted by a failure in all(): the next caller gets a real result', async () => {
    const release = deferred();
    let slowRuns = 0;
    const slow = task(async (scope, _id: string) => {
      slowRuns++;
      await release.promise;
      scope.signal.throwIfAborted(); // a well-behaved body fails with the abort reason, like ctx.Err()
      return 'slow result';
    });
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('sibling failed');
    });
    const scope = new TaskScope();

    const group = await outcome(scope.all([slow.bind('1'), failing.bind('1')]));
    release.resolve();
    await settleMicrotasks();
    const later = await slow.run(scope, '1');

    expect(group).toEqual({ status: 'rejected', reason: new Error('sibling failed') });
    expect(later).toBe('slow result');
    expect(slowRuns).toBe(2);
  });

  it('starts a fresh run for a caller that asks for an aborted sibling before that sibling has settled', async () => {
    const releases: Array<Deferred<string>> = [];
    const slow = task(async (_scope, _id: string) => {
      const release = deferred<string>();
      releases.push(release);
      return release.promise;
    });
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('sibling failed');
    });
    const scope = new TaskScope();
    await outcome(scope.all([slow.bind('1'), failing.bind('1')]));

    const late = slow.run(scope, '1');
    await settleMicrotasks();
    releases[0]!.resolve('from the aborted run');
    releases[1]!.resolve('fresh');

    await expect(late).resolves.toBe('fresh');
    await expect(slow.run(scope, '1')).resolves.toBe('fresh');
    expect(releases).toHaveLength(2);
  });

  it("does not cache an aborted sibling that throws its signal's reason, even with cacheErrors", async () => {
    const release = deferred();
    let runs = 0;
    const slow = task(
      async (scope, _id: string) => {
        runs++;
        if (runs > 1) return 'real result';
        await release.promise;
        throw scope.signal.reason; // the failure that aborted it: a plain Error, not an AbortError
      },
      { cacheErrors: true },
    );
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('sibling failed');
    });
    const scope = new TaskScope();
    await outcome(scope.all([slow.bind('1'), failing.bind('1')]));

    release.resolve();
    await settleMicrotasks();
    const later = await slow.run(scope, '1');

    expect(later).toBe('real result');
    expect(runs).toBe(2);
  });

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

  it('fails a task that calls itself with the same input with TaskCycleError instead of deadlocking', async () => {
    const loop: Task<number, number> = task(async function loop_(scope, n: number): Promise<number> {
      return loop.run(scope, n);
    });

    const result = await outcome(loop.run(new TaskScope(), 1));

    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TaskCycleError);
  });

  it('keeps a long-lived scope within maxEntries instead of growing without bound', async () => {
    const double = task(async (_scope, n: number) => n * 2);
    const scope = new TaskScope({ maxEntries: 100 });

    for (let n = 0; n < 1_000; n++) await double.run(scope, n);

    expect(scope.size).toBe(100);
    expect(scope.stats.evictions).toBe(900);
  });

  it("does not fail the other waiters when the first caller's signal aborts (singleflight)", async () => {
    const release = deferred<string>();
    let runs = 0;
    const fetchConfig = task(async (_scope, _id: string) => {
      runs++;
      return release.promise;
    });
    const scope = new TaskScope();
    const firstCaller = new AbortController();

    const first = fetchConfig.run(scope, 'cfg', { signal: firstCaller.signal });
    const second = fetchConfig.run(scope, 'cfg');
    firstCaller.abort(new Error('first caller gone'));
    release.resolve('config');

    await expect(first).rejects.toThrow('first caller gone');
    await expect(second).resolves.toBe('config');
    expect(runs).toBe(1);
  });
});
