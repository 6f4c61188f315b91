import { Component, HookTimeoutError, OnStart, OnStop, StartupError } from '../../src/index.js';
import { Journal, appOf, settleWith } from '../support/app-fixtures.js';

describe('a failed start', () => {
  it('fails with the error of a returned thenable whose then() throws, leaving no deadline timer armed', async () => {
    @Component()
    class Broken {
      @OnStart() start() {
        return {
          then() {
            throw new Error('broken thenable');
          },
        };
      }
    }
    const { app, clock } = await appOf([Broken]);

    await expect(app.start()).rejects.toThrow('broken thenable');

    expect(clock.pendingTimers()).toBe(0);
  });

  it('stops exactly the components whose start completed, in reverse, and names the failed one', async () => {
    @Component()
    class Database {
      constructor(private readonly j: Journal) {}
      @OnStart() start() {
        this.j.record('start:Database');
      }
      @OnStop() stop() {
        this.j.record('stop:Database');
      }
    }
    @Component()
    class Cache {
      constructor(
        readonly db: Database,
        private readonly j: Journal,
      ) {}
      @OnStart() start() {
        this.j.record('start:Cache');
      }
      @OnStop() stop() {
        this.j.record('stop:Cache');
      }
    }
    @Component()
    class WarmCache {
      constructor(
        readonly cache: Cache,
        private readonly j: Journal,
      ) {}
      @OnStart() start() {
        throw new Error('prefetch failed');
      }
      @OnStop() stop() {
        this.j.record('stop:WarmCache');
      }
    }
    @Component()
    class Api {
      constructor(
        readonly warm: WarmCache,
        private readonly j: Journal,
      ) {}
      @OnStart() start() {
        this.j.record('start:Api');
      }
      @OnStop() stop() {
        this.j.record('stop:Api');
      }
    }
    const { app, journal } = await appOf([Api, WarmCache, Cache, Database]);

    const error = await app.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StartupError);
    expect(error).toMatchObject({
      code: 'ORDO_START_FAILED',
      component: 'WarmCache',
      message: 'Component "WarmCache" failed to start: prefetch failed',
      cause: new Error('prefetch failed'),
    });
    expect(journal.entries).toEqual(['start:Database', 'start:Cache', 'stop:Cache', 'stop:Database']);
    expect((error as StartupError).rollback.stopped).toEqual(['Cache', 'Database']);
    expect(app.state).toBe('failed');
  });

  it('fails the boot at the start timeout even when the hook ignores its signal', async () => {
    @Component({ startTimeout: '5s' })
    class Stuck {
      @OnStart() start() {
        return new Promise<void>(() => undefined);
      }
    }
    const { app, clock } = await appOf([Stuck]);

    const started = app.start().catch((e: unknown) => e);
    await clock.waitForTimers(1);
    await clock.advance('5s');

    const error = await started;
    expect(error).toMatchObject({ code: 'ORDO_START_FAILED', component: 'Stuck', cause: expect.any(HookTimeoutError) });
    expect((error as StartupError).message).toBe(
      'Component "Stuck" failed to start: @OnStart Stuck.start() of component "Stuck" did not finish within 5000 ms',
    );
  });

  it('uses a 30 second start timeout by default', async () => {
    @Component()
    class Slow {
      @OnStart() start() {
        return new Promise<void>(() => undefined);
      }
    }
    const { app, clock } = await appOf([Slow]);
    let settled = false;
    const started = app.start().catch(() => (settled = true));
    await clock.waitForTimers(1);

    await clock.advance('29999ms');
    const beforeDeadline = settled;
    await clock.advance('1ms');
    await started;

    expect([beforeDeadline, settled]).toEqual([false, true]);
  });

  it('aborts the signals of the hooks still running in the failing wave and waits for them', async () => {
    const seen: string[] = [];
    @Component()
    class Failing {
      @OnStart() async start() {
        throw new Error('boom');
      }
    }
    @Component()
    class Patient {
      constructor(private readonly j: Journal) {}
      @OnStart() start(signal: AbortSignal) {
        return new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            seen.push(`aborted:${(signal.reason as Error).message}`);
            resolve();
          }),
        );
      }
      @OnStop() stop() {
        this.j.record('stop:Patient');
      }
    }
    const { app, journal } = await appOf([Failing, Patient]);

    await expect(app.start()).rejects.toMatchObject({ component: 'Failing' });

    expect(seen).toEqual(['aborted:boom']);
    expect(journal.entries).toEqual(['stop:Patient']);
  });

  it('does not stop a component whose @OnStart failed, nor components never started', async () => {
    @Component()
    class First {
      constructor(private readonly j: Journal) {}
      @OnStart() start() {
        throw new Error('nope');
      }
      @OnStop() stop() {
        this.j.record('stop:First');
      }
    }
    @Component()
    class Second {
      constructor(
        readonly first: First,
        private readonly j: Journal,
      ) {}
      @OnStart() start() {
        this.j.record('start:Second');
      }
      @OnStop() stop() {
        this.j.record('stop:Second');
      }
    }
    const { app, journal } = await appOf([First, Second]);

    await expect(app.start()).rejects.toThrow('nope');

    expect(journal.entries).toEqual([]);
  });

  it('does not stop anything again when stop() is called after a failed start', async () => {
    @Component()
    class Ok {
      constructor(private readonly j: Journal) {}
      @OnStop() stop() {
        this.j.record('stop:Ok');
      }
    }
    @Component({ dependsOn: [Ok] })
    class Bad {
      @OnStart() start() {
        throw new Error('bad');
      }
    }
    const { app, journal } = await appOf([Ok, Bad]);
    await app.start().catch(() => undefined);

    const report = await app.stop('SIGTERM');

    expect(journal.entries).toEqual(['stop:Ok']);
    expect(report.stopped).toEqual(['Ok']);
  });

  it('aborts the start when stop() is called during it and stops what had started', async () => {
    @Component()
    class Database {
      constructor(private readonly j: Journal) {}
      @OnStart() start() {
        this.j.record('start:Database');
      }
      @OnStop() stop() {
        this.j.record('stop:Database');
      }
    }
    @Component()
    class Slow {
      constructor(
        readonly db: Database,
        private readonly j: Journal,
      ) {}
      @OnStart() async start(signal: AbortSignal) {
        await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
      @OnStop() stop() {
        this.j.record('stop:Slow');
      }
    }
    @Component()
    class Api {
      constructor(
        readonly slow: Slow,
        private readonly j: Journal,
      ) {}
      @OnStart() start() {
        this.j.record('start:Api');
      }
    }
    const { app, clock, journal } = await appOf([Api, Slow, Database]);
    const started = app.start().catch((e: unknown) => e);
    await clock.waitForTimers(1);

    const report = await app.stop('deploy');

    expect(await started).toMatchObject({ code: 'ORDO_START_ABORTED' });
    expect(journal.entries).toEqual(['start:Database', 'stop:Database']);
    expect(report.stopped).toEqual(['Database']);
    expect(app.state).toBe('stopped');
  });

  it('rolls back when a stop hook of a started component hangs during rollback, bounded by its timeout', async () => {
    @Component({ stopTimeout: '2s' })
    class Hanging {
      @OnStop() stop() {
        return new Promise<void>(() => undefined);
      }
    }
    @Component({ dependsOn: [Hanging] })
    class Bad {
      @OnStart() start() {
        throw new Error('bad');
      }
    }
    const { app, clock } = await appOf([Hanging, Bad]);

    const error = (await settleWith(
      clock,
      app.start().catch((e: unknown) => e as StartupError),
    )) as StartupError;

    expect(error.rollback.failed).toEqual([{ name: 'Hanging', error: expect.any(HookTimeoutError) }]);
  });
});

describe('a component whose start was aborted', () => {
  it('because a sibling failed is reported as aborted with the reason, not as failed', async () => {
    @Component()
    class Failing {
      @OnStart() async start() {
        throw new Error('boom');
      }
    }
    @Component()
    class Patient {
      @OnStart() start(signal: AbortSignal) {
        return new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
    }
    const { app } = await appOf([Failing, Patient]);
    const events: unknown[] = [];
    app.events.on('component:failed', ({ name }) => events.push(['failed', name]));
    app.events.on('component:aborted', ({ name, reason }) => events.push(['aborted', name, reason]));

    await app.start().catch(() => undefined);

    expect(events).toEqual([
      ['failed', 'Failing'],
      ['aborted', 'Patient', 'component "Failing" failed to start'],
    ]);
  });

  it("by a stop() is reported as aborted with the stop's reason", async () => {
    @Component()
    class Patient {
      @OnStart() start(signal: AbortSignal) {
        return new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
    }
    const { app, clock } = await appOf([Patient]);
    const events: unknown[] = [];
    app.events.on('component:failed', ({ name }) => events.push(['failed', name]));
    app.events.on('component:aborted', ({ name, reason }) => events.push(['aborted', name, reason]));
    const started = app.start().catch(() => undefined);
    await clock.waitForTimers(1);

    await app.stop('SIGTERM');
    await started;

    expect(events).toEqual([['aborted', 'Patient', 'SIGTERM']]);
  });
});
