import { inject, type Container } from 'inversify';
import {
  Clock,
  Component,
  Logger,
  OnStart,
  OnStop,
  Ordo,
  StartupError,
  VirtualClock,
  type AppExtension,
} from '../../src/index.js';
import { Journal, appOf, settleWith, testContainer } from '../support/app-fixtures.js';

const never = () => new Promise<void>(() => undefined);

describe('stop() during start()', () => {
  it('gives up at the shutdown budget on a start hook that ignores its signal, and reports it abandoned', async () => {
    @Component()
    class Stuck {
      @OnStart() start() {
        return never();
      }
    }
    const { app, clock } = await appOf([Stuck], { shutdownTimeout: '1s' });
    const started = app.start().catch((e: unknown) => e);
    await clock.waitForTimers(1);
    const began = clock.now();

    const report = await settleWith(clock, app.stop('SIGTERM'), '100ms');

    expect({ took: clock.now() - began, ok: report.ok, abandoned: report.abandoned }).toEqual({
      took: 1000,
      ok: false,
      abandoned: [{ kind: 'component', name: 'Stuck', phase: 'start' }],
    });
    expect(await started).toMatchObject({ code: 'ORDO_START_ABORTED' });
  });

  it('gives up at the shutdown budget on a factory that never resolves, and start() rejects as aborted', async () => {
    @Component()
    class FromFactory {}
    const clock = new VirtualClock();
    const container = testContainer();
    container.bind(FromFactory).toDynamicValue(() => new Promise<FromFactory>(() => undefined));
    const app = await Ordo.create(container, { overrides: [[Clock, clock]], shutdownTimeout: '2s' });
    const started = app.start().catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));
    const began = clock.now();

    const report = await settleWith(clock, app.stop(), '100ms');

    expect({ took: clock.now() - began, abandoned: report.abandoned }).toEqual({
      took: 2000,
      abandoned: [{ kind: 'component', name: 'FromFactory', phase: 'resolve' }],
    });
    expect(await started).toMatchObject({ code: 'ORDO_START_ABORTED', rollback: { ok: false } });
  });

  it('gives up at the shutdown budget on a Logger whose factory never resolves', async () => {
    const clock = new VirtualClock();
    const container = testContainer();
    container.rebind(Logger).toDynamicValue(() => new Promise<Logger>(() => undefined));
    const app = await Ordo.create(container, { overrides: [[Clock, clock]], shutdownTimeout: '2s' });
    const started = app.start().catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));

    const report = await settleWith(clock, app.stop(), '100ms');

    expect(report).toMatchObject({ ok: false, abandoned: [{ kind: 'service', name: 'Logger', phase: 'resolve' }] });
    expect(await started).toMatchObject({ code: 'ORDO_START_ABORTED' });
  });

  it('gives up at the shutdown budget on an extension whose start never resolves', async () => {
    const extension: AppExtension = { name: 'scheduler', start: never };
    const { app, clock } = await appOf([], { extensions: [extension], shutdownTimeout: '3s' });
    const started = app.start().catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));
    const began = clock.now();

    const report = await settleWith(clock, app.stop(), '100ms');

    expect({ took: clock.now() - began, abandoned: report.abandoned }).toEqual({
      took: 3000,
      abandoned: [{ kind: 'extension', name: 'scheduler', phase: 'start' }],
    });
    expect(await started).toMatchObject({ code: 'ORDO_START_ABORTED' });
  });

  it('stops an extension whose start completes after the stop gave up on it', async () => {
    const journal = new Journal();
    let release!: () => void;
    const extension: AppExtension = {
      name: 'scheduler',
      start: () => new Promise<void>((resolve) => (release = resolve)),
      stop: () => journal.record('stop:scheduler'),
    };
    const { app, clock } = await appOf([], { extensions: [extension], shutdownTimeout: '1s', journal });
    const started = app.start().catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));
    await settleWith(clock, app.stop(), '100ms');
    await started;

    release();
    await new Promise((resolve) => setImmediate(resolve));

    expect(journal.entries).toEqual(['stop:scheduler']);
  });

  it('starts no later extension once stop() was called during an extension start', async () => {
    const journal = new Journal();
    let release!: () => void;
    const first: AppExtension = { name: 'first', start: () => new Promise<void>((resolve) => (release = resolve)) };
    const second: AppExtension = { name: 'second', start: () => journal.record('start:second') };
    const { app } = await appOf([], { extensions: [first, second], journal });
    const started = app.start().catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));

    const stopped = app.stop();
    release();
    await stopped;

    expect(journal.entries).toEqual([]);
    expect(await started).toMatchObject({ code: 'ORDO_START_ABORTED' });
  });

  it("gives up on the stuck start hook at a wave's share of the budget, so the started components still stop", async () => {
    const journal = new Journal();
    @Component()
    class Database {
      @OnStop() stop() {
        journal.record('stop:Database');
      }
    }
    @Component({ dependsOn: [Database] })
    class Api {
      @OnStart() start() {
        return never();
      }
    }
    const { app, clock } = await appOf([Database, Api], { shutdownTimeout: '1s', journal });
    const started = app.start().catch((e: unknown) => e);
    await clock.waitForTimers(1);
    const began = clock.now();

    const report = await settleWith(clock, app.stop(), '100ms');
    await started;

    expect({ gaveUpAfter: clock.now() - began, stopped: journal.entries }).toEqual({
      gaveUpAfter: 500,
      stopped: ['stop:Database'],
    });
    expect(report).toMatchObject({ ok: false, stopped: ['Database'], abandoned: [{ name: 'Api', phase: 'start' }] });
  });

  it('measures its duration from the stop() call', async () => {
    @Component()
    class Slow {
      constructor(@inject(Clock) private readonly clock: Clock) {}
      @OnStart() async start() {
        await this.clock.sleep('10s');
      }
    }
    const { app, clock } = await appOf([Slow], { shutdownTimeout: '1m' });
    const started = app.start().catch((e: unknown) => e);
    await clock.waitForTimers(2);

    const report = await settleWith(clock, app.stop(), '1s');
    await started;

    expect(report.durationMs).toBe(10_000);
  });
});

describe('stop() of a running app', () => {
  it('gives up at the shutdown budget on an extension whose stop never resolves', async () => {
    const extension: AppExtension = { name: 'background', stop: never };
    const { app, clock } = await appOf([], { extensions: [extension], shutdownTimeout: '2s' });
    await app.start();
    const began = clock.now();

    const report = await settleWith(clock, app.stop(), '100ms');

    expect({ took: clock.now() - began, ok: report.ok, abandoned: report.abandoned }).toEqual({
      took: 2000,
      ok: false,
      abandoned: [{ kind: 'extension', name: 'background', phase: 'stop' }],
    });
  });

  it('arms no timer of its own when nothing it waits on is unbounded', async () => {
    const extension: AppExtension = { name: 'quick', stop: () => Promise.resolve() };
    const { app, clock } = await appOf([], { extensions: [extension] });
    await app.start();

    await app.stop();

    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('a start hook that completes after its start timeout', () => {
  it('is stopped when it completes after the failed start was rolled back, and a warning says so', async () => {
    const journal = new Journal();
    @Component({ startTimeout: '1s' })
    class Late {
      constructor(@inject(Clock) private readonly clock: Clock) {}
      @OnStart() async start() {
        await this.clock.sleep('3s');
      }
      @OnStop() stop() {
        journal.record('stop:Late');
      }
    }
    const { app, clock } = await appOf([Late], { journal });
    const warnings = recordWarnings(app.container);
    const error = (await settleWith(
      clock,
      app.start().catch((e: unknown) => e),
      '500ms',
    )) as StartupError;

    await clock.advance('3s');

    expect({ code: error.code, rolledBack: error.rollback.stopped, stopped: journal.entries }).toEqual({
      code: 'ORDO_START_FAILED',
      rolledBack: [],
      stopped: ['stop:Late'],
    });
    expect(warnings).toContainEqual(expect.stringMatching(/Late.*started after its start timed out/));
  });

  it('is stopped within the rollback under way, and the rollback reports it', async () => {
    const journal = new Journal();
    @Component({ stopTimeout: '5s' })
    class Database {
      constructor(@inject(Clock) private readonly clock: Clock) {}
      @OnStop() async stop() {
        await this.clock.sleep('4s');
        journal.record('stop:Database');
      }
    }
    @Component({ startTimeout: '1s', dependsOn: [Database] })
    class Late {
      constructor(@inject(Clock) private readonly clock: Clock) {}
      @OnStart() async start() {
        await this.clock.sleep('2s');
      }
      @OnStop() stop() {
        journal.record('stop:Late');
      }
    }
    const { app, clock } = await appOf([Database, Late], { journal });

    const error = (await settleWith(
      clock,
      app.start().catch((e: unknown) => e),
      '500ms',
    )) as StartupError;

    expect(journal.entries).toEqual(['stop:Late', 'stop:Database']);
    expect(error.rollback.stopped).toEqual(['Late', 'Database']);
  });

  it('is stopped once it completes when the stop had given up on it at the budget', async () => {
    const journal = new Journal();
    @Component()
    class Slow {
      constructor(@inject(Clock) private readonly clock: Clock) {}
      @OnStart() async start() {
        await this.clock.sleep('5s');
      }
      @OnStop() stop() {
        journal.record('stop:Slow');
      }
    }
    const { app, clock } = await appOf([Slow], { journal, shutdownTimeout: '1s' });
    const started = app.start().catch((e: unknown) => e);
    await clock.waitForTimers(2);
    const report = await settleWith(clock, app.stop(), '100ms');
    await started;

    await clock.advance('5s');

    expect({ abandoned: report.abandoned.map((a) => a.name), stopped: journal.entries }).toEqual({
      abandoned: ['Slow'],
      stopped: ['stop:Slow'],
    });
  });
});

/** Rebinds the Logger to one that records the component and message of every warning. */
function recordWarnings(container: Container): string[] {
  const warnings: string[] = [];
  const logger = {
    debug() {},
    info() {},
    error() {},
    warn(fields: { component?: string }, message?: string) {
      warnings.push(`${fields.component ?? ''}: ${message ?? ''}`);
    },
  };
  container.rebind(Logger).toConstantValue(logger as never);
  return warnings;
}
