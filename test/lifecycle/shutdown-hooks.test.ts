import { Component, OnStart, OnStop } from '../../src/index.js';
import { appOf, deferred } from '../support/app-fixtures.js';

describe('enableShutdownHooks()', () => {
  it('stops the app on SIGTERM and exits with 0', async () => {
    const exits: number[] = [];
    const { app } = await appOf([]);
    await app.start();
    app.enableShutdownHooks(['SIGTERM'], { exit: (code) => exits.push(code) });

    process.emit('SIGTERM', 'SIGTERM');
    const report = await app.stop();

    expect(report.reason).toBe('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([0]);
  });

  it('exits with 1 when the stop was not clean', async () => {
    @Component()
    class Failing {
      @OnStop() stop() {
        throw new Error('x');
      }
    }
    const exits: number[] = [];
    const { app } = await appOf([Failing]);
    await app.start();
    app.enableShutdownHooks(['SIGINT'], { exit: (code) => exits.push(code) });

    process.emit('SIGINT', 'SIGINT');
    await app.stop();
    await new Promise((resolve) => setImmediate(resolve));

    expect(exits).toEqual([1]);
  });

  it('forces exit 1 on a second signal during shutdown', async () => {
    const gate = deferred();
    @Component()
    class Slow {
      @OnStop() stop() {
        return gate.promise;
      }
    }
    const exits: number[] = [];
    const { app } = await appOf([Slow]);
    await app.start();
    app.enableShutdownHooks(['SIGTERM'], { exit: (code) => exits.push(code) });

    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGTERM', 'SIGTERM');
    const afterSecond = [...exits];
    gate.resolve();
    await app.stop();

    expect(afterSecond).toEqual([1]);
  });

  it('removes its listeners once the app has stopped', async () => {
    const before = process.listenerCount('SIGTERM');
    const { app } = await appOf([]);
    await app.start();
    app.enableShutdownHooks(['SIGTERM'], { exit: () => undefined });
    const during = process.listenerCount('SIGTERM');

    await app.stop();

    expect([during - before, process.listenerCount('SIGTERM') - before]).toEqual([1, 0]);
  });

  it('exits 0 after a clean rollback when the signal comes during start(), before start() rejects', async () => {
    @Component()
    class Slow {
      @OnStart() start(signal: AbortSignal) {
        return new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
    }
    const order: string[] = [];
    const { app, clock } = await appOf([Slow]);
    app.enableShutdownHooks(['SIGTERM'], { exit: (code) => order.push(`exit ${code}`) });
    const started = app.start().catch((e: { code: string }) => order.push(`start rejected ${e.code}`));
    await clock.waitForTimers(1);

    process.emit('SIGTERM', 'SIGTERM');
    await started;

    expect(order).toEqual(['exit 0', 'start rejected ORDO_START_ABORTED']);
  });

  it('are refused after stop(), and none is installed', async () => {
    const before = process.listenerCount('SIGTERM');
    const { app } = await appOf([]);
    await app.start();
    await app.stop();

    expect(() => app.enableShutdownHooks(['SIGTERM'], { exit: () => undefined })).toThrow(
      expect.objectContaining({ code: 'ORDO_INVALID_STATE' }),
    );
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('are refused after a failed start, and none is installed', async () => {
    @Component()
    class Failing {
      @OnStart() start() {
        throw new Error('boom');
      }
    }
    const before = process.listenerCount('SIGTERM');
    const { app } = await appOf([Failing]);
    await app.start().catch(() => undefined);

    expect(() => app.enableShutdownHooks(['SIGTERM'], { exit: () => undefined })).toThrow(
      expect.objectContaining({ code: 'ORDO_INVALID_STATE' }),
    );
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('refuse a signal that cannot be caught, naming it, and leave none of the others installed', async () => {
    const before = process.listenerCount('SIGTERM');
    const { app } = await appOf([]);

    const error = (() => {
      try {
        app.enableShutdownHooks(['SIGTERM', 'SIGKILL'], { exit: () => undefined });
      } catch (e) {
        return e;
      }
    })();

    expect(error).toMatchObject({
      code: 'ORDO_INVALID_SIGNAL',
      message: expect.stringContaining('SIGKILL'),
      cause: expect.any(Error),
    });
    expect([process.listenerCount('SIGTERM') - before, process.listenerCount('SIGKILL')]).toEqual([0, 0]);
  });

  it('refuse a name that is no signal, which would never fire', async () => {
    const { app } = await appOf([]);

    expect(() => app.enableShutdownHooks(['SIGTREM' as NodeJS.Signals], { exit: () => undefined })).toThrow(
      expect.objectContaining({ code: 'ORDO_INVALID_SIGNAL', message: expect.stringContaining('SIGTREM') }),
    );
  });
});
