import { Component, OnStop } from '../../src/index.js';
import { appOf, deferred } from './fixtures.js';

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
    @Component() class Failing { @OnStop() stop() { throw new Error('x'); } }
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
    @Component() class Slow { @OnStop() stop() { return gate.promise; } }
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
});
