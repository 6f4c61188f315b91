import { jest } from '@jest/globals';
import { task, TaskScope } from '../../src/tasks/index.js';
import { deferred, outcome, settleMicrotasks } from '../support/task-helpers.js';

/** A task held in flight until `release`, exposing the signal its body saw and how often it ran. */
function heldTask() {
  const release = deferred<string>();
  const seen: AbortSignal[] = [];
  const held = task(async function held(scope, _id: string) {
    seen.push(scope.signal);
    return release.promise;
  });
  return { held, release, seen };
}

describe('per-caller signals', () => {
  it("rejects only the aborted caller's wait, with its signal's reason", async () => {
    const { held, release } = heldTask();
    const scope = new TaskScope();
    const leaving = new AbortController();
    const staying = new AbortController();

    const left = held.run(scope, '1', { signal: leaving.signal });
    const stayed = held.run(scope, '1', { signal: staying.signal });
    leaving.abort(new Error('client went away'));
    release.resolve('value');

    await expect(left).rejects.toThrow('client went away');
    await expect(stayed).resolves.toBe('value');
  });

  it("keeps the run's own signal unaborted while someone still waits", async () => {
    const { held, release, seen } = heldTask();
    const scope = new TaskScope();
    const leaving = new AbortController();

    const left = held.run(scope, '1', { signal: leaving.signal });
    const stayed = held.run(scope, '1');
    leaving.abort();
    await outcome(left);

    expect(seen[0]!.aborted).toBe(false);
    release.resolve('value');
    await expect(stayed).resolves.toBe('value');
  });

  it('aborts the run, with the last reason, when its last waiter leaves', async () => {
    const { held, seen } = heldTask();
    const scope = new TaskScope();
    const a = new AbortController();
    const b = new AbortController();

    const waits = [held.run(scope, '1', { signal: a.signal }), held.run(scope, '1', { signal: b.signal })];
    await settleMicrotasks();
    a.abort(new Error('a left'));
    const abortedAfterFirst = seen[0]!.aborted;
    b.abort(new Error('b left'));
    await Promise.allSettled(waits);

    expect(abortedAfterFirst).toBe(false);
    expect(seen[0]!.aborted).toBe(true);
    expect(seen[0]!.reason).toEqual(new Error('b left'));
  });

  it('drops an abandoned run from the scope, so the next caller runs it afresh', async () => {
    const { held, release, seen } = heldTask();
    const scope = new TaskScope();
    const only = new AbortController();

    const left = held.run(scope, '1', { signal: only.signal });
    await settleMicrotasks();
    only.abort();
    await outcome(left);
    const sizeAfterAbandon = scope.size;
    const fresh = held.run(scope, '1');
    release.resolve('value');

    expect(sizeAfterAbandon).toBe(0);
    await expect(fresh).resolves.toBe('value');
    expect(seen).toHaveLength(2);
  });

  it('never calls the body of a run abandoned before it started', async () => {
    const { held, seen } = heldTask();
    const scope = new TaskScope();
    const only = new AbortController();

    const left = held.run(scope, '1', { signal: only.signal });
    only.abort();
    await outcome(left);
    await settleMicrotasks();

    expect(seen).toHaveLength(0);
    expect(scope.size).toBe(0);
  });

  it('never abandons a run that a caller without a signal waits for', async () => {
    const { held, release, seen } = heldTask();
    const scope = new TaskScope();
    const leaving = new AbortController();

    const pinned = held.run(scope, '1');
    const left = held.run(scope, '1', { signal: leaving.signal });
    leaving.abort();
    await outcome(left);
    release.resolve('value');

    await expect(pinned).resolves.toBe('value');
    expect(seen[0]!.aborted).toBe(false);
  });

  it('abandons the dependencies of an abandoned run that no one else waits for', async () => {
    const release = deferred<string>();
    let innerSignal: AbortSignal | undefined;
    const inner = task(async (scope, _id: string) => {
      innerSignal = scope.signal;
      return release.promise;
    });
    const outer = task(async (scope, id: string) => inner.run(scope, id));
    const scope = new TaskScope();
    const caller = new AbortController();

    const waiting = outer.run(scope, '1', { signal: caller.signal });
    await settleMicrotasks();
    caller.abort(new Error('request cancelled'));
    await outcome(waiting);

    expect(innerSignal!.aborted).toBe(true);
    expect(innerSignal!.reason).toEqual(new Error('request cancelled'));
    expect(scope.size).toBe(0);
  });

  it('adds one abort listener to a signal shared by many waits (no MaxListeners warning)', async () => {
    const { held, release } = heldTask();
    const scope = new TaskScope();
    const shared = new AbortController();
    const added = jest.spyOn(shared.signal, 'addEventListener');

    const waits = Array.from({ length: 20 }, (_, i) => held.run(scope, String(i), { signal: shared.signal }));
    release.resolve('value');
    await Promise.all(waits);

    expect(added).toHaveBeenCalledTimes(1);
  });

  it('removes its listener from a long-lived signal once the waits on it are over', async () => {
    const { held, release } = heldTask();
    const scope = new TaskScope();
    const longLived = new AbortController();
    const removed = jest.spyOn(longLived.signal, 'removeEventListener');

    const wait = held.run(scope, '1', { signal: longLived.signal });
    release.resolve('value');
    await wait;

    expect(removed).toHaveBeenCalledTimes(1);
  });
});

describe('scope signal', () => {
  it('aborts every running task and rejects all their callers with the reason', async () => {
    const { held, seen } = heldTask();
    const controller = new AbortController();
    const scope = new TaskScope({ signal: controller.signal });

    const waits = [
      held.run(scope, '1'),
      held.run(scope, '2'),
      held.run(scope, '1', { signal: new AbortController().signal }),
    ];
    controller.abort(new Error('shutting down'));
    const outcomes = await Promise.allSettled(waits);

    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toEqual(new Error('shutting down'));
    expect(seen.every((signal) => signal.aborted)).toBe(true);
    expect(scope.size).toBe(0);
  });

  it('refuses new runs with the abort reason once aborted, without calling the body', async () => {
    const { held, seen } = heldTask();
    const controller = new AbortController();
    const scope = new TaskScope({ signal: controller.signal });
    controller.abort(new Error('too late'));

    await expect(held.run(scope, '1')).rejects.toThrow('too late');
    expect(seen).toHaveLength(0);
  });

  it('still serves results that completed before the abort', async () => {
    const controller = new AbortController();
    const scope = new TaskScope({ signal: controller.signal });
    const constant = task(async (_scope, _id: string) => 'kept');
    await constant.run(scope, '1');
    controller.abort();

    await expect(constant.run(scope, '1')).resolves.toBe('kept');
  });

  it('refuses even results that completed before the abort when told not to keep them', async () => {
    const controller = new AbortController();
    const scope = new TaskScope({ signal: controller.signal, keepResultsOnAbort: false });
    const constant = task(async (_scope, id: string) => `kept ${id}`);
    await Promise.all([constant.run(scope, '1'), constant.run(scope, '2')]);

    controller.abort(new Error('scope ended'));

    await expect(constant.run(scope, '1')).rejects.toThrow('scope ended');
    expect(scope.stats).toMatchObject({ entries: 0, tables: 0, evictions: 0 });
  });

  it('aborts the running tasks of a scope that does not keep its results, as any scope does', async () => {
    const { held } = heldTask();
    const controller = new AbortController();
    const scope = new TaskScope({ signal: controller.signal, keepResultsOnAbort: false });
    const running = held.run(scope, '1');

    controller.abort(new Error('scope ended'));

    await expect(running).rejects.toThrow('scope ended');
  });

  it('exposes the signal it was given as scope.signal, and a never-aborting one when given none', () => {
    const controller = new AbortController();

    expect(new TaskScope({ signal: controller.signal }).signal).toBe(controller.signal);
    expect(new TaskScope().signal.aborted).toBe(false);
  });

  it("hands each run's body its own signal, not the scope's", async () => {
    const { held, release, seen } = heldTask();
    const controller = new AbortController();
    const scope = new TaskScope({ signal: controller.signal });

    const wait = held.run(scope, '1');
    release.resolve('value');
    await wait;

    expect(seen[0]).not.toBe(controller.signal);
  });

  it('keeps a single listener on a scope signal shared by many scopes while their runs are in flight', async () => {
    const { held, release } = heldTask();
    const appSignal = new AbortController().signal;
    const added = jest.spyOn(appSignal, 'addEventListener');

    const waits = Array.from({ length: 20 }, () => held.run(new TaskScope({ signal: appSignal }), '1'));
    release.resolve('value');
    await Promise.all(waits);

    expect(added).toHaveBeenCalledTimes(1);
  });
});

/** What ANCHORS.md records Go singleflight users asking for: the first caller's cancellation must not fail the rest. */
describe('Vorma defect, done right', () => {
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
