import { Component, OnStart, OnStop } from '../../src/index.js';
import { readsItsArguments } from '../../src/lifecycle/running-component.js';
import { appOf } from './fixtures.js';

/** Records the first argument each hook was called with. */
const received: Record<string, unknown> = {};

describe('which hooks are given a signal of their own', () => {
  it('gives a hook with a defaulted parameter a real AbortSignal', async () => {
    @Component() class Defaulted {
      @OnStart() start(signal: AbortSignal | undefined = undefined) { received.defaulted = signal; }
    }
    const { app } = await appOf([Defaulted]);

    await app.start();

    expect(received.defaulted).toBeInstanceOf(AbortSignal);
    await app.stop();
  });

  it('gives a hook with a rest parameter a real AbortSignal', async () => {
    @Component() class Rest {
      @OnStop() stop(...args: unknown[]) { received.rest = args[0]; }
    }
    const { app } = await appOf([Rest]);
    await app.start();

    await app.stop();

    expect(received.rest).toBeInstanceOf(AbortSignal);
  });

  it('gives a hook reading `arguments` a real AbortSignal', async () => {
    @Component() class ReadsArguments {
      // eslint-disable-next-line prefer-rest-params
      @OnStart() start() { received.arguments = arguments[0]; }
    }
    const { app } = await appOf([ReadsArguments]);

    await app.start();

    expect(received.arguments).toBeInstanceOf(AbortSignal);
    await app.stop();
  });

  it('gives a hook wrapped by another decorator a real AbortSignal', async () => {
    const wrap: MethodDecorator = (_target, _key, descriptor) => {
      const original = descriptor.value as unknown as (...args: unknown[]) => unknown;
      descriptor.value = function (this: unknown, ...args: unknown[]) { return original.apply(this, args); } as never;
    };
    @Component() class Wrapped {
      @OnStart() @wrap start(signal: AbortSignal) { received.wrapped = signal; }
    }
    const { app } = await appOf([Wrapped]);

    await app.start();

    expect(received.wrapped).toBeInstanceOf(AbortSignal);
    await app.stop();
  });
});

describe('readsItsArguments', () => {
  it('is false only for functions that declare no parameter and never mention arguments or eval', () => {
    class Hooks {
      plain() { return 1; }
      async asyncPlain() { return 1; }
      *generator() { yield 1; }
    }
    const hooks = new Hooks();

    expect(readsItsArguments(hooks.plain)).toBe(false);
    expect(readsItsArguments(hooks.asyncPlain)).toBe(false);
    expect(readsItsArguments(hooks.generator)).toBe(false);
    expect(readsItsArguments(function named() { return 1; })).toBe(false);
    expect(readsItsArguments(() => 1)).toBe(false);
    expect(readsItsArguments(async () => 1)).toBe(false);
  });

  it('is true whenever a function could see its first argument', () => {
    class Hooks {
      declared(signal: AbortSignal) { return signal; }
      defaulted(signal?: AbortSignal) { return signal; }
      rest(...args: unknown[]) { return args; }
      // eslint-disable-next-line prefer-rest-params
      viaArguments() { return arguments[0]; }
      viaEval() { return eval('1'); }
    }
    const hooks = new Hooks();
    const bound = function () { return 1; }.bind(undefined);

    expect(readsItsArguments(hooks.declared)).toBe(true);
    expect(readsItsArguments(hooks.defaulted)).toBe(true);
    expect(readsItsArguments(hooks.rest)).toBe(true);
    expect(readsItsArguments(hooks.viaArguments)).toBe(true);
    expect(readsItsArguments(hooks.viaEval)).toBe(true);
    expect(readsItsArguments(bound)).toBe(true);
  });
});
