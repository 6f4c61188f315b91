import { AsyncLocalStorage } from 'node:async_hooks';
import { injectable } from 'inversify';
import { BackgroundError, OrdoError, Task } from '../../src/index.js';
import { deferred, settleMicrotasks, thrown } from '../support/task-helpers.js';
import { backgroundApp, unhandledRejectionsOf } from './background-fixtures.js';

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Resolves when `signal` aborts, with its reason. */
function abortOf(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));
}

describe('Background.run', () => {
  it('starts the work at once and returns before the work finishes', async () => {
    const { app, background } = await backgroundApp();
    const release = deferred();
    const steps: string[] = [];

    const returned = background.run('warm', async () => {
      steps.push('started');
      await release.promise;
      steps.push('finished');
    });
    steps.push('returned');
    release.resolve();
    await background.settle();

    expect({ returned, steps }).toEqual({ returned: undefined, steps: ['started', 'returned', 'finished'] });
    await app.stop();
  });

  it("gives the work a signal of its own, which the caller's abort does not reach", async () => {
    const { app, background } = await backgroundApp();
    const request = new AbortController();
    let workSignal: AbortSignal | undefined;
    const release = deferred();

    app.runInScope(
      () =>
        background.run('audit', async (signal) => {
          workSignal = signal;
          await release.promise;
        }),
      { signal: request.signal },
    );
    request.abort(new Error('client went away'));
    await settleMicrotasks();

    expect(workSignal?.aborted).toBe(false);
    release.resolve();
    await background.settle();
    await app.stop();
  });

  it("keeps the caller's async context across the work's awaits", async () => {
    const { app, clock, background } = await backgroundApp();
    let seen: string | undefined;

    requestContext.run({ requestId: 'r-1' }, () =>
      background.run('audit', async (signal) => {
        await clock.sleep('1s', signal);
        seen = requestContext.getStore()?.requestId;
      }),
    );
    await clock.advance('1s');
    await background.settle();

    expect(seen).toBe('r-1');
    await app.stop();
  });

  it('aborts the signal at the timeout, on the Clock, with a reason naming the work', async () => {
    const { app, clock, background } = await backgroundApp();
    let signal: AbortSignal | undefined;
    background.run(
      'register:analytics',
      async (s) => {
        signal = s;
        await abortOf(s);
      },
      { timeout: '5s' },
    );

    await clock.advance(4_999);
    const before = signal?.aborted;
    await clock.advance(1);

    expect(before).toBe(false);
    expect(signal?.reason).toBeInstanceOf(BackgroundError);
    expect(signal?.reason).toMatchObject({
      code: 'ORDO_BACKGROUND_TIMEOUT',
      work: 'register:analytics',
      message: 'Background work "register:analytics" timed out after 5s',
    });
    await background.settle();
    await app.stop();
  });

  it('times out after 30 seconds by default', async () => {
    const { app, clock, background } = await backgroundApp();
    let signal: AbortSignal | undefined;
    background.run('slow', async (s) => {
      signal = s;
      await abortOf(s);
    });

    await clock.advance('29999ms');
    const before = signal?.aborted;
    await clock.advance('1ms');

    expect({ before, after: signal?.aborted }).toEqual({ before: false, after: true });
    await app.stop();
  });

  it("logs a failure with the work's name and emits background:failed, and nothing is unhandled", async () => {
    const { app, clock, background, logger, failures } = await backgroundApp();
    const boom = new Error('analytics is down');

    const unhandled = await unhandledRejectionsOf(async () => {
      background.run('rejects', async (signal) => {
        await clock.sleep('2s', signal);
        throw boom;
      });
      background.run('throws', () => {
        throw boom;
      });
      await clock.advance('2s');
      await background.settle();
    });

    expect(unhandled).toEqual([]);
    expect(logger.withMessage('background work failed').map((entry) => entry.fields)).toEqual([
      { work: 'throws', err: boom, durationMs: 0 },
      { work: 'rejects', err: boom, durationMs: 2_000 },
    ]);
    expect(failures).toEqual([
      { name: 'throws', error: boom, durationMs: 0 },
      { name: 'rejects', error: boom, durationMs: 2_000 },
    ]);
    await app.stop();
  });

  it('refuses a name that is not a non-empty string, work that is not a function, and an invalid timeout', async () => {
    const { app, background } = await backgroundApp();
    const work = async () => undefined;

    const errors = [
      thrown(() => background.run('', work)),
      thrown(() => background.run('x', 'work' as never)),
      thrown(() => background.after('x', work, { timeout: 'soon' })),
      thrown(() => background.run('x', work, { timeout: 0 })),
    ];

    expect(errors.map((e) => OrdoError.is(e, 'ORDO_INVALID_OPTION'))).toEqual([true, true, true, true]);
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'Background.run() takes a name for the work (a non-empty string, shown in logs), got ""',
      'Background.run("x") takes the work as a function (signal) => Promise<void>, got "work"',
      expect.stringContaining('Background.after("x") option timeout: '),
      'Background.run("x") option timeout: 0 is no time at all, a deadline nothing can meet; give at least 1 ms',
    ]);
    await app.stop();
  });
});

@injectable()
class Signup {
  constructor() {}
  /** Set by tests: the Background to defer work to. */
  defer: ((name: string) => void) | undefined;

  @Task() async welcome(userId: string) {
    this.defer?.(`welcome:${userId}`);
    return userId;
  }
}

describe('Background.after', () => {
  it('starts the work once the request scope ends, not before', async () => {
    const { app, background } = await backgroundApp();
    const handlerDone = deferred();
    const steps: string[] = [];

    const handled = app.runInScope(async () => {
      background.after('register:analytics', async () => {
        steps.push('work');
      });
      steps.push('deferred');
      await handlerDone.promise;
      steps.push('handler finished');
    });
    await settleMicrotasks();
    const beforeEnd = [...steps];
    handlerDone.resolve();
    await handled;
    await background.settle();

    expect(beforeEnd).toEqual(['deferred']);
    expect(steps).toEqual(['deferred', 'handler finished', 'work']);
    await app.stop();
  });

  it.each([
    ['synchronously', false],
    ['after an await', true],
  ])("keeps the request's async context, set through AsyncLocalStorage, when deferred %s", async (_, late) => {
    const { app, background } = await backgroundApp();
    let seen: string | undefined;

    await app.runInScope(() =>
      requestContext.run({ requestId: 'r-7' }, async () => {
        if (late) await settleMicrotasks();
        background.after('audit', async () => {
          seen = requestContext.getStore()?.requestId;
        });
      }),
    );
    await background.settle();

    expect(seen).toBe('r-7');
    await app.stop();
  });

  it('starts the work when the handler failed too', async () => {
    const { app, background } = await backgroundApp();
    let ran = false;

    const handled = app.runInScope(async () => {
      background.after('cleanup', async () => {
        ran = true;
      });
      throw new Error('bad request');
    });
    await expect(handled).rejects.toThrow('bad request');
    await background.settle();

    expect(ran).toBe(true);
    await app.stop();
  });

  it('defers work asked for inside a request-scoped @Task body to the end of its request', async () => {
    const { app, background } = await backgroundApp([Signup]);
    const signup = app.get(Signup);
    const started: string[] = [];
    signup.defer = (name) => background.after(name, async () => void started.push(name));
    const handlerDone = deferred();

    const handled = app.runInScope(async () => {
      await signup.welcome('u1');
      await handlerDone.promise;
    });
    await settleMicrotasks();
    const beforeEnd = [...started];
    handlerDone.resolve();
    await handled;
    await background.settle();

    expect({ beforeEnd, started }).toEqual({ beforeEnd: [], started: ['welcome:u1'] });
    await app.stop();
  });

  it('outside any request scope, starts the work at once', async () => {
    const { app, background } = await backgroundApp();
    let started = false;

    background.after('nightly', async () => {
      started = true;
    });

    expect(started).toBe(true);
    await app.stop();
  });
});

describe('Background.settle', () => {
  it('waits for the work in flight and for the work that work starts', async () => {
    const { app, clock, background } = await backgroundApp();
    const finished: string[] = [];
    background.run('first', async (signal) => {
      await clock.sleep('1s', signal);
      background.run('second', async (s) => {
        await clock.sleep('1s', s);
        finished.push('second');
      });
      finished.push('first');
    });

    const settled = background.settle();
    await clock.advance('2s');
    await settled;

    expect(finished).toEqual(['first', 'second']);
    await app.stop();
  });

  it('waits for after() work whose scope just ended', async () => {
    const { app, background } = await backgroundApp();
    let finished = false;

    await app.runInScope(async () => {
      background.after('audit', async () => {
        await settleMicrotasks();
        finished = true;
      });
    });
    await background.settle();

    expect(finished).toBe(true);
    await app.stop();
  });

  it('does not wait for after() work whose scope has not ended, so a handler may await it', async () => {
    const { app, background } = await backgroundApp();
    let ran = false;

    await app.runInScope(async () => {
      background.after('audit', async () => {
        ran = true;
      });
      await background.settle();
      expect(ran).toBe(false);
    });
    await background.settle();

    expect(ran).toBe(true);
    await app.stop();
  });
});
