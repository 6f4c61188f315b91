import type { AppExtension, StopReport } from '../../src/index.js';
import { inject } from 'inversify';
import { Clock, Component, HealthCheck, HookTimeoutError, OnStart, OnStop } from '../../src/index.js';
import { Journal, appOf, deferred, settleWith } from '../support/app-fixtures.js';

describe('stop()', () => {
  it('returns the same promise to every caller and stops each component once', async () => {
    @Component()
    class Database {
      constructor(private readonly j: Journal) {}
      @OnStop() stop() {
        this.j.record('stop');
      }
    }
    const { app, journal } = await appOf([Database]);
    await app.start();

    const first = app.stop();
    const second = app.stop();
    await first;

    expect(second).toBe(first);
    expect(journal.entries).toEqual(['stop']);
  });

  it('stops every component even when one @OnStop fails, and reports the failure', async () => {
    @Component()
    class Database {
      constructor(private readonly j: Journal) {}
      @OnStop() stop() {
        this.j.record('stop:Database');
      }
    }
    @Component()
    class Api {
      constructor(readonly db: Database) {}
      @OnStop() stop() {
        throw new Error('socket busy');
      }
    }
    const { app, journal } = await appOf([Api, Database]);
    await app.start();

    const report = await app.stop();

    expect(journal.entries).toEqual(['stop:Database']);
    expect(report).toMatchObject({
      ok: false,
      stopped: ['Database'],
      failed: [{ name: 'Api', error: new Error('socket busy') }],
    });
  });

  it('gives up on an @OnStop at its stop timeout and goes on', async () => {
    @Component()
    class Database {
      constructor(private readonly j: Journal) {}
      @OnStop() stop() {
        this.j.record('stop:Database');
      }
    }
    @Component({ stopTimeout: '3s' })
    class Api {
      constructor(readonly db: Database) {}
      @OnStop() stop() {
        return new Promise<void>(() => undefined);
      }
    }
    const { app, clock, journal } = await appOf([Api, Database]);
    await app.start();

    const stopped = app.stop();
    await clock.waitForTimers(1);
    await clock.advance('3s');
    const report = await stopped;

    expect(report.failed).toEqual([{ name: 'Api', error: expect.any(HookTimeoutError) }]);
    expect(journal.entries).toEqual(['stop:Database']);
  });

  it('shares the shutdown budget among the remaining waves and skips the rest once it is spent', async () => {
    const hang = () => new Promise<void>(() => undefined);
    @Component({ name: 'first' })
    class First {
      @OnStop() stop() {
        return hang();
      }
    }
    @Component({ name: 'second', dependsOn: ['first'] })
    class Second {
      @OnStop() stop() {
        return hang();
      }
    }
    @Component({ name: 'third', dependsOn: ['second'] })
    class Third {
      @OnStop() stop() {
        return hang();
      }
    }
    const { app, clock } = await appOf([First, Second, Third], { shutdownTimeout: '9s' });
    await app.start();
    const began = clock.now();
    const timeouts: number[] = [];
    app.events.on('component:failed', ({ error }) => timeouts.push((error as HookTimeoutError).timeoutMs));

    const report = await settleWith(clock, app.stop(), '500ms');

    expect(timeouts).toEqual([3000, 3000, 3000]);
    expect(report.failed.map((f) => f.name)).toEqual(['third', 'second', 'first']);
    expect(clock.now() - began).toBe(9000);
  });

  it('skips and reports components left when the budget is spent', async () => {
    @Component({ name: 'first' })
    class First {
      @OnStop() stop() {}
    }
    @Component({ name: 'second', dependsOn: ['first'], stopTimeout: '20s' })
    class Second {
      @OnStop() stop() {
        return new Promise<void>(() => undefined);
      }
    }
    const { app, clock } = await appOf([First, Second], { shutdownTimeout: '1s', drainDelay: '1s' });
    await app.start();

    const report = await settleWith(clock, app.stop(), '250ms');

    expect(report).toMatchObject({ ok: false, skipped: ['second', 'first'], stopped: [], failed: [] });
  });

  it('waits the drain delay with readiness false before stopping components', async () => {
    const journal = new Journal();
    @Component()
    class Api {
      @HealthCheck() check() {
        return 'up' as const;
      }
      @OnStop() stop() {
        journal.record('stop:Api');
      }
    }
    const { app, clock } = await appOf([Api], { drainDelay: '5s', journal });
    await app.start();

    const stopped = app.stop();
    await clock.waitForTimers(1);
    const during = await app.health();
    await clock.advance('4999ms');
    const stoppedBeforeDelay = journal.entries.length;
    await clock.advance('1ms');
    await stopped;

    expect(during).toMatchObject({ ready: false, state: 'stopping' });
    expect(stoppedBeforeDelay).toBe(0);
    expect(journal.entries).toEqual(['stop:Api']);
  });

  it('resolves with an empty report when the app never started', async () => {
    const { app } = await appOf([]);

    await expect(app.stop()).resolves.toMatchObject({ ok: true, stopped: [] });
    expect(app.state).toBe('stopped');
  });

  it('emits lifecycle events with durations on the app clock', async () => {
    @Component()
    class Database {
      constructor(@inject(Clock) private readonly clock: Clock) {}
      @OnStart() async start() {
        await this.clock.sleep('2s');
      }
      @OnStop() stop() {}
    }
    const { app, clock } = await appOf([Database]);
    const events: unknown[] = [];
    for (const name of [
      'component:starting',
      'component:started',
      'component:stopping',
      'component:stopped',
    ] as const) {
      app.events.on(name, (payload: unknown) => events.push([name, payload]));
    }

    await settleWith(clock, app.start());
    await app.stop();

    expect(events).toEqual([
      ['component:starting', { name: 'Database' }],
      ['component:started', { name: 'Database', durationMs: 2000 }],
      ['component:stopping', { name: 'Database' }],
      ['component:stopped', { name: 'Database', durationMs: 0 }],
    ]);
  });
});

describe('extensions', () => {
  it('start after every component started and stop before any component stops', async () => {
    const journal = new Journal();
    const extension: AppExtension = {
      name: 'scheduler',
      start: () => journal.record('start:scheduler'),
      stop: () => journal.record('stop:scheduler'),
    };
    @Component()
    class Database {
      @OnStart() start() {
        journal.record('start:Database');
      }
      @OnStop() stop() {
        journal.record('stop:Database');
      }
    }
    const { app } = await appOf([Database], { extensions: [extension], journal });

    await app.start();
    await app.stop();

    expect(journal.entries).toEqual(['start:Database', 'start:scheduler', 'stop:scheduler', 'stop:Database']);
  });

  it('pass their deadline at the shutdown budget and report what they return', async () => {
    let deadlineSeen = 0;
    const extension: AppExtension = {
      name: 'background',
      stop: (_context, deadline) => {
        deadlineSeen = deadline;
        return [{ error: new Error('1 task abandoned') }];
      },
    };
    const { app, clock } = await appOf([], { extensions: [extension], shutdownTimeout: '10s' });
    await app.start();
    const began = clock.now();

    const report: StopReport = await app.stop();

    expect(deadlineSeen - began).toBe(10_000);
    expect(report).toMatchObject({
      ok: false,
      problems: [{ source: 'background', error: new Error('1 task abandoned') }],
    });
  });

  it('that fail to start roll back the components', async () => {
    const journal = new Journal();
    @Component()
    class Database {
      @OnStop() stop() {
        journal.record('stop:Database');
      }
    }
    const extension: AppExtension = {
      name: 'scheduler',
      start: () => {
        throw new Error('bad cron');
      },
    };
    const { app } = await appOf([Database], { extensions: [extension], journal });

    await expect(app.start()).rejects.toMatchObject({ message: 'scheduler failed to start: bad cron' });
    expect(journal.entries).toEqual(['stop:Database']);
  });
});

describe('waiting on a gate', () => {
  it('keeps start() pending until every hook of the wave resolves', async () => {
    const gate = deferred();
    @Component()
    class Gated {
      @OnStart() start() {
        return gate.promise;
      }
    }
    const { app } = await appOf([Gated]);
    let done = false;

    const started = app.start().then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    const before = done;
    gate.resolve();
    await started;

    expect([before, done]).toEqual([false, true]);
  });
});
