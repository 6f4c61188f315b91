import { task, TaskScope } from '../../src/tasks/index.js';
import { VirtualClock } from '../../src/time/index.js';
import { deferred, outcome, settleMicrotasks } from '../support/task-helpers.js';

describe('task failures', () => {
  it('gives every concurrent caller of a failing run that same error, from one run', async () => {
    const release = deferred();
    let runs = 0;
    const failing = task(async (_scope, _id: string): Promise<string> => {
      runs++;
      await release.promise;
      throw new Error('boom');
    });
    const scope = new TaskScope();

    const callers = [failing.run(scope, '1'), failing.run(scope, '1'), failing.run(scope, '1')];
    release.resolve();
    const outcomes = await Promise.allSettled(callers);

    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason)).toEqual([
      new Error('boom'),
      new Error('boom'),
      new Error('boom'),
    ]);
    expect(new Set(outcomes.map((o) => (o as PromiseRejectedResult).reason)).size).toBe(1);
    expect(runs).toBe(1);
  });

  it('removes a failed entry from the scope unless errors are cached', async () => {
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('boom');
    });
    const scope = new TaskScope();

    await outcome(failing.run(scope, '1'));

    expect(scope.size).toBe(0);
  });

  it('keeps a failure for the whole scope with cacheErrors and no ttl', async () => {
    const clock = new VirtualClock();
    let runs = 0;
    const failing = task(
      async (_scope, _id: string): Promise<string> => {
        runs++;
        throw new Error(`failure ${runs}`);
      },
      { cacheErrors: true },
    );
    const scope = new TaskScope({ clock });

    const first = await outcome(failing.run(scope, '1'));
    await clock.advance('1d');
    const later = await outcome(failing.run(scope, '1'));

    expect(first).toEqual({ status: 'rejected', reason: new Error('failure 1') });
    expect(later).toEqual({ status: 'rejected', reason: new Error('failure 1') });
    expect(runs).toBe(1);
  });

  it('turns a synchronous throw of a non-async body into a rejection', async () => {
    const sync = task((_scope, _id: string): Promise<string> => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- what is thrown is the point of the test
      throw 'not an Error';
    });

    await expect(sync.run(new TaskScope(), '1')).rejects.toBe('not an Error');
  });

  it('propagates a body that rejects with undefined as a rejection with undefined', async () => {
    const rejectsUndefined = task((_scope, _id: string): Promise<string> => Promise.reject(undefined));

    const result = await outcome(rejectsUndefined.run(new TaskScope(), '1'));

    expect(result).toEqual({ status: 'rejected', reason: undefined });
  });

  it('accepts a body that returns a plain value instead of a promise (plain JavaScript callers)', async () => {
    const plain = task(
      ((_scope: TaskScope, n: number) => n + 1) as unknown as (s: TaskScope, n: number) => Promise<number>,
    );

    await expect(plain.run(new TaskScope(), 1)).resolves.toBe(2);
  });
});

describe('aborts are never cached', () => {
  it.each([
    ['an AbortError', new DOMException('upstream call aborted', 'AbortError')],
    [
      'a TimeoutError (what AbortSignal.timeout aborts with)',
      new DOMException('The operation timed out.', 'TimeoutError'),
    ],
  ])('does not keep %s even with cacheErrors: the next caller runs again', async (_what, abort) => {
    let runs = 0;
    const timesOut = task(
      async (_scope, _id: string) => {
        runs++;
        if (runs === 1) throw abort;
        return 'ok';
      },
      { cacheErrors: true },
    );
    const scope = new TaskScope();

    const first = await outcome(timesOut.run(scope, '1'));
    const second = await timesOut.run(scope, '1');

    expect(first.status).toBe('rejected');
    expect(second).toBe('ok');
  });

  it("does not keep a failure that is a departed caller's signal reason, even with cacheErrors", async () => {
    const leaving = new AbortController();
    const gate = deferred();
    let runs = 0;
    const fetchConfig = task(
      async (_scope, _id: string) => {
        runs++;
        if (runs === 1) {
          await gate.promise;
          leaving.signal.throwIfAborted(); // a body that closed over one caller's signal
        }
        return 'ok';
      },
      { cacheErrors: true },
    );
    const scope = new TaskScope();
    const left = outcome(fetchConfig.run(scope, '1', { signal: leaving.signal }));
    const stayed = outcome(fetchConfig.run(scope, '1'));
    await settleMicrotasks();

    leaving.abort(new Error('client went away'));
    gate.resolve();
    await Promise.all([left, stayed]);
    const next = await fetchConfig.run(scope, '1');

    expect(next).toBe('ok');
    expect(runs).toBe(2);
  });

  it("does not keep a failure that is the scope's signal reason, even with cacheErrors", async () => {
    const request = new AbortController();
    // Listening before the scope does, so this rejection is queued before the scope hears of the abort.
    const upstream = new Promise<string>((_resolve, reject) => {
      request.signal.addEventListener('abort', () => reject(request.signal.reason));
    });
    const load = task(async (_scope, _id: string) => upstream, { cacheErrors: true });
    const scope = new TaskScope({ signal: request.signal });
    const first = outcome(load.run(scope, '1'));
    await settleMicrotasks();

    request.abort(new Error('request ended'));
    await first;

    expect(scope.size).toBe(0);
  });
});

/**
 * Defects ANCHORS.md records in Vorma's kit/tasks: errors are cached for the context's life, and a panic gives
 * later callers a silent zero value.
 */
describe('Vorma defect, done right', () => {
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
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the JS analogue of a Go panic with no value
        throw undefined;
      },
      { cacheErrors: true },
    );
    const scope = new TaskScope();

    const first = await outcome(panics.run(scope, '1'));
    const later = await outcome(panics.run(scope, '1'));

    expect(first).toEqual({ status: 'rejected', reason: undefined });
    expect(later).toEqual({ status: 'rejected', reason: undefined });
  });
});
