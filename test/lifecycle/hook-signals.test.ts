import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Component, OnStart, OnStop, VirtualClock } from '../../src/index.js';
import { appOf, deferred } from '../support/app-fixtures.js';

/** Records the first argument each hook was called with. */
const received: Record<string, unknown> = {};

describe('which hooks are given a signal of their own', () => {
  it('gives a hook with a defaulted parameter a real AbortSignal', async () => {
    @Component()
    class Defaulted {
      @OnStart() start(signal: AbortSignal | undefined = undefined) {
        received.defaulted = signal;
      }
    }
    const { app } = await appOf([Defaulted]);

    await app.start();

    expect(received.defaulted).toBeInstanceOf(AbortSignal);
    await app.stop();
  });

  it('gives a hook with a rest parameter a real AbortSignal', async () => {
    @Component()
    class Rest {
      @OnStop() stop(...args: unknown[]) {
        received.rest = args[0];
      }
    }
    const { app } = await appOf([Rest]);
    await app.start();

    await app.stop();

    expect(received.rest).toBeInstanceOf(AbortSignal);
  });

  it('gives a hook reading `arguments` a real AbortSignal', async () => {
    @Component()
    class ReadsArguments {
      @OnStart() start() {
        received.arguments = arguments[0];
      }
    }
    const { app } = await appOf([ReadsArguments]);

    await app.start();

    expect(received.arguments).toBeInstanceOf(AbortSignal);
    await app.stop();
  });

  it('gives a hook wrapped by another decorator a real AbortSignal', async () => {
    const wrap: MethodDecorator = (_target, _key, descriptor) => {
      const original = descriptor.value as unknown as (...args: unknown[]) => unknown;
      descriptor.value = function (this: unknown, ...args: unknown[]) {
        return original.apply(this, args);
      } as never;
    };
    @Component()
    class Wrapped {
      @OnStart() @wrap start(signal: AbortSignal) {
        received.wrapped = signal;
      }
    }
    const { app } = await appOf([Wrapped]);

    await app.start();

    expect(received.wrapped).toBeInstanceOf(AbortSignal);
    await app.stop();
  });
});

describe('the signal every hook is given', () => {
  it('is its own, whatever the hook declares: a stop hook without parameters sees it abort at its stop timeout', async () => {
    const seen: AbortSignal[] = [];
    @Component({ stopTimeout: '2s' })
    class Slow {
      @OnStop() stop() {
        seen.push(arguments[0] as AbortSignal);
        return new Promise<void>(() => undefined);
      }
    }
    @Component()
    class Quick {
      @OnStop() stop() {
        seen.push(arguments[0] as AbortSignal);
      }
    }
    const { app, clock } = await appOf([Slow, Quick]);
    await app.start();

    const stopped = app.stop();
    await clock.advance('2s');
    await stopped;

    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
    expect(seen.map((signal) => signal.aborted)).toEqual([true, false]);
  });

  it('never aborts the signal of a hook that returned at once, when a sibling in its wave fails later', async () => {
    const failure = deferred<void>();
    let quickSignal: AbortSignal | undefined;
    @Component()
    class Failing {
      @OnStart() start() {
        return failure.promise;
      }
    }
    @Component()
    class Quick {
      @OnStart() start(signal: AbortSignal) {
        quickSignal = signal;
      }
    }
    const { app } = await appOf([Failing, Quick]);
    const starting = app.start();

    failure.reject(new Error('database down'));
    await expect(starting).rejects.toThrow('database down');

    expect(quickSignal?.aborted).toBe(false);
  });

  it('arms a deadline timer only for a hook still running when it returns', async () => {
    const clock = new VirtualClock();
    const pending = deferred<void>();
    let timersSeenByTheLastHook: number | undefined;
    @Component()
    class Pending {
      @OnStart() start() {
        return pending.promise;
      }
    }
    @Component()
    class First {
      @OnStart() start() {}
    }
    @Component()
    class Last {
      @OnStart() start() {
        timersSeenByTheLastHook = clock.pendingTimers();
      }
    }
    const { app } = await appOf([Pending, First, Last], { clock });
    const starting = app.start();

    await clock.waitForTimers(1);
    pending.resolve();
    await starting;

    expect(timersSeenByTheLastHook).toBe(1);
    await app.stop();
  });

  it("never depends on a function's source text: nothing under src reads one", () => {
    const src = fileURLToPath(new URL('../../src', import.meta.url));
    const readers = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => /Function\.prototype\.toString/.test(readFileSync(join(src, file), 'utf8')));

    expect(readers).toEqual([]);
  });
});
