import { inject, injectable } from 'inversify';
import { Component, OnStart, OnStop, StartupError, Task, type Runtime } from '../../src/index.js';
import { Journal, appOf, settleWith } from '../support/app-fixtures.js';

/** A runtime that records each of its phases in the journal as `phase:name`. */
function recording(name: string, journal: Journal, overrides: Partial<Runtime> = {}): Runtime {
  return {
    name,
    prepare: () => journal.record(`prepare:${name}`),
    start: () => journal.record(`start:${name}`),
    stop: () => journal.record(`stop:${name}`),
    close: () => journal.record(`close:${name}`),
    ...overrides,
  };
}

@Component()
class Database {
  constructor(@inject(Journal) private readonly journal: Journal) {
    journal.record('construct:Database');
  }
  @OnStart() start() {
    this.journal.record('start:Database');
  }
  @OnStop() stop() {
    this.journal.record('stop:Database');
  }
}

@Component()
class Api {
  constructor(
    readonly db: Database,
    @inject(Journal) private readonly journal: Journal,
  ) {
    journal.record('construct:Api');
  }
  @OnStart() start() {
    this.journal.record('start:Api');
  }
  @OnStop() stop() {
    this.journal.record('stop:Api');
  }
}

describe('the phases of a runtime against the components', () => {
  it('prepares every runtime at create(), before any component is constructed', async () => {
    const journal = new Journal();
    await appOf([Api, Database], { runtimes: [recording('a', journal), recording('b', journal)], journal });

    expect(journal.entries).toEqual(['prepare:a', 'prepare:b']);
  });

  it("fails create() with what a runtime's prepare throws, and prepares no later runtime", async () => {
    const journal = new Journal();
    const invalid = new Error('@Every("soon") is not a duration');
    const failing = recording('scheduler', journal, {
      prepare: () => {
        throw invalid;
      },
    });

    const created = appOf([], { runtimes: [failing, recording('jobs', journal)], journal });

    await expect(created).rejects.toBe(invalid);
    expect(journal.entries).toEqual([]);
  });

  it('lets components inject what a runtime bound in its prepare', async () => {
    const QUEUE = Symbol('queue');
    @Component()
    class Producer {
      constructor(@inject(QUEUE) readonly queue: string[]) {}
    }
    const binder: Runtime = {
      name: 'queues',
      prepare: ({ container }) => void container.bind(QUEUE).toConstantValue(['ready']),
    };
    const { app } = await appOf([Producer], { runtimes: [binder] });

    await app.start();

    expect(app.get(Producer).queue).toEqual(['ready']);
  });

  it('starts a runtime after every component started', async () => {
    const journal = new Journal();
    const { app } = await appOf([Api, Database], { runtimes: [recording('scheduler', journal)], journal });

    await app.start();

    expect(journal.entries.slice(1)).toEqual([
      'construct:Database',
      'construct:Api',
      'start:Database',
      'start:Api',
      'start:scheduler',
    ]);
  });

  it('stops a runtime before any component stops, and closes it after every component stopped', async () => {
    const journal = new Journal();
    const { app } = await appOf([Api, Database], { runtimes: [recording('scheduler', journal)], journal });
    await app.start();
    journal.entries.length = 0;

    await app.stop();

    expect(journal.entries).toEqual(['stop:scheduler', 'stop:Api', 'stop:Database', 'close:scheduler']);
  });

  it('starts several runtimes in the order given, and stops and closes them in reverse', async () => {
    const journal = new Journal();
    const runtimes = ['first', 'second', 'third'].map((name) => recording(name, journal));
    const { app } = await appOf([], { runtimes, journal });

    await app.start();
    await app.stop();

    expect(journal.entries).toEqual([
      'prepare:first',
      'prepare:second',
      'prepare:third',
      'start:first',
      'start:second',
      'start:third',
      'stop:third',
      'stop:second',
      'stop:first',
      'close:third',
      'close:second',
      'close:first',
    ]);
  });

  it('runs the runtimes given as deprecated extensions after the runtimes, and reports them as extensions', async () => {
    const journal = new Journal();
    const hanging = recording('legacy', journal, { stop: () => new Promise<void>(() => undefined) });
    const { app, clock } = await appOf([], {
      runtimes: [recording('current', journal)],
      extensions: [hanging],
      journal,
      shutdownTimeout: '1s',
    });
    await app.start();

    const report = await settleWith(clock, app.stop(), '100ms');

    expect(journal.of('start:')).toEqual(['current', 'legacy']);
    expect(report.abandoned).toEqual([{ kind: 'extension', name: 'legacy', phase: 'stop' }]);
  });

  it("gives a runtime's stop the drain deadline, the end of the shutdown budget on the Clock", async () => {
    const deadlines: number[] = [];
    const { app, clock } = await appOf([], {
      runtimes: [{ name: 'background', stop: (_context, deadline) => void deadlines.push(deadline) }],
      shutdownTimeout: '20s',
    });
    await app.start();
    const began = clock.now();

    await app.stop();

    expect(deadlines).toEqual([began + 20_000]);
  });

  it("reports the problems a runtime's stop returns in the StopReport, under the runtime's name", async () => {
    const ignoredAbort = new Error('run "sync" ignored its abort');
    const { app } = await appOf([Database], {
      runtimes: [{ name: 'scheduler', stop: () => [{ error: ignoredAbort }] }],
    });
    await app.start();

    const report = await app.stop();

    expect(report).toMatchObject({
      ok: false,
      stopped: ['Database'],
      problems: [{ source: 'scheduler', error: ignoredAbort }],
    });
  });

  it('rolls back the components and the runtimes already started when a runtime fails to start, and closes every runtime', async () => {
    const journal = new Journal();
    const failing = recording('failing', journal, {
      start: () => {
        throw new Error('bad cron');
      },
    });
    const { app } = await appOf([Api, Database], {
      runtimes: [recording('first', journal), failing, recording('last', journal)],
      journal,
    });
    journal.entries.length = 0;

    const error = await app.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StartupError);
    expect(error).toMatchObject({ code: 'ORDO_START_FAILED', message: 'failing failed to start: bad cron' });
    expect(journal.entries.filter((entry) => !entry.startsWith('construct:'))).toEqual([
      'start:Database',
      'start:Api',
      'start:first',
      'stop:first',
      'stop:Api',
      'stop:Database',
      'close:last',
      'close:failing',
      'close:first',
    ]);
  });

  it('closes every runtime once, even when stop() is called again', async () => {
    const journal = new Journal();
    const { app } = await appOf([], { runtimes: [recording('scheduler', journal)], journal });
    await app.start();

    await app.stop();
    await app.stop();

    expect(journal.of('close:')).toEqual(['scheduler']);
  });

  it('closes the runtimes of an app stopped before it started, and starts and stops none', async () => {
    const journal = new Journal();
    const { app } = await appOf([], { runtimes: [recording('scheduler', journal)], journal });

    await app.stop();

    expect(journal.entries).toEqual(['prepare:scheduler', 'close:scheduler']);
  });

  it('reports a close that throws as a problem of the stop, and still closes the others', async () => {
    const journal = new Journal();
    const broken = new Error('close failed');
    const throwing = recording('store', journal, {
      close: () => {
        throw broken;
      },
    });
    const { app } = await appOf([], { runtimes: [recording('first', journal), throwing], journal });
    await app.start();

    const report = await app.stop();

    expect(report).toMatchObject({ ok: false, problems: [{ source: 'store', error: broken }] });
    expect(journal.of('close:')).toEqual(['first']);
  });

  it('gives up on a close that does not settle within the shutdown budget, and reports it abandoned', async () => {
    const { app, clock } = await appOf([], {
      runtimes: [{ name: 'store', close: () => new Promise<void>(() => undefined) }],
      shutdownTimeout: '2s',
    });
    await app.start();
    const began = clock.now();

    const report = await settleWith(clock, app.stop(), '100ms');

    expect({ took: clock.now() - began, ok: report.ok, abandoned: report.abandoned }).toEqual({
      took: 2000,
      ok: false,
      abandoned: [{ kind: 'runtime', name: 'store', phase: 'close' }],
    });
  });
});

describe('the tasks runtime', () => {
  it('serves app-wide @Task methods to every @OnStop, and ends the app-wide memo only once the components stopped', async () => {
    @injectable()
    class Settings {
      @Task({ scope: 'app' }) async flags() {
        return { drain: true };
      }
    }
    @Component()
    class Worker {
      readonly seen: unknown[] = [];
      constructor(readonly settings: Settings) {}
      @OnStop() async stop() {
        this.seen.push(await this.settings.flags());
      }
    }
    const { app } = await appOf([Worker, Settings]);
    await app.start();

    await app.stop();

    expect(app.get(Worker).seen).toEqual([{ drain: true }]);
    await expect(app.get(Settings).flags()).rejects.toMatchObject({ code: 'ORDO_STOPPED' });
  });
});
