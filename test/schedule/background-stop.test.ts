import { Container, inject } from 'inversify';
import {
  Background,
  BackgroundError,
  Clock,
  Component,
  Logger,
  OnStart,
  OnStop,
  Ordo,
  SilentLogger,
  VirtualClock,
} from '../../src/index.js';
import { deferred, settleMicrotasks, thrown } from '../support/task-helpers.js';
import { settleWith } from '../support/app-fixtures.js';
import { backgroundApp } from './background-fixtures.js';

/** A component whose stop is recorded, to see that background work drains before components stop. */
@Component()
class Database {
  readonly journal: string[] = [];
  @OnStop() close() {
    this.journal.push('database stopped');
  }
}

describe("stopping an app's background work", () => {
  it('lets the work in flight finish before any component stops', async () => {
    const { app, clock, background } = await backgroundApp([Database]);
    const database = app.get(Database);
    background.run('report', async (signal) => {
      await clock.sleep('3s', signal);
      database.journal.push('work finished');
    });

    const report = await settleWith(clock, app.stop(), '1s');

    expect(database.journal).toEqual(['work finished', 'database stopped']);
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('aborts what is still running at the drain deadline, half the budget, with a reason naming the work', async () => {
    const { app, clock, background } = await backgroundApp([], { shutdownTimeout: '10s' });
    let abortedAt: number | undefined;
    let reason: unknown;
    const began = clock.now();
    background.run(
      'export',
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            abortedAt = clock.now() - began;
            reason = signal.reason;
            resolve();
          }),
        ),
      { timeout: '1m' },
    );

    const report = await settleWith(clock, app.stop(), '1s');

    expect(abortedAt).toBe(5_000);
    expect(reason).toBeInstanceOf(BackgroundError);
    expect(reason).toMatchObject({ code: 'ORDO_BACKGROUND_STOPPED', work: 'export' });
    expect((reason as Error).message).toBe(
      'The app is stopping: background work "export" is aborted at the drain deadline',
    );
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('reports work that ignored its abort as a problem, and the stop still finishes', async () => {
    const { app, clock, background, logger } = await backgroundApp([Database], { shutdownTimeout: '10s' });
    background.run('stubborn', () => new Promise<void>(() => undefined), { timeout: '1m' });

    const report = await settleWith(clock, app.stop(), '1s');

    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ source: 'background', error: expect.any(BackgroundError) }]);
    expect(report.problems[0]!.error).toMatchObject({
      code: 'ORDO_BACKGROUND_ABANDONED',
      work: 'stubborn',
      message: expect.stringContaining('Background work "stubborn" ignored its abort at the drain deadline'),
    });
    expect(report.stopped).toEqual(['Database']);
    expect(logger.withMessage('background work abandoned: it ignored its abort')).toHaveLength(1);
  });

  it('refuses new work once its stop began, and after the app stopped', async () => {
    const { app, clock, background } = await backgroundApp();
    background.run('slow', (signal) => clock.sleep('5s', signal));

    const stopping = app.stop();
    await settleMicrotasks();
    const during = thrown(() => background.run('late', async () => undefined));
    await settleWith(clock, stopping, '1s');
    const after = thrown(() => background.after('later', async () => undefined));

    expect(during).toBeInstanceOf(BackgroundError);
    expect(during).toMatchObject({
      code: 'ORDO_BACKGROUND_REFUSED',
      work: 'late',
      message:
        'Background.run("late") was refused: the app is stopping, and background work is not started once its stop ' +
        'began draining it',
    });
    expect(after).toMatchObject({ code: 'ORDO_BACKGROUND_REFUSED', work: 'later' });
  });

  it('starts after() work whose request scope ends during the drain, and waits for it', async () => {
    const { app, clock, background } = await backgroundApp();
    const handlerDone = deferred();
    let finished = false;
    const handled = app.runInScope(async () => {
      background.after('audit', async (signal) => {
        await clock.sleep('1s', signal);
        finished = true;
      });
      await handlerDone.promise;
    });

    const stopping = app.stop();
    await clock.advance('2s');
    handlerDone.resolve();
    await handled;
    const report = await settleWith(clock, stopping, '1s');

    expect(finished).toBe(true);
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('drops after() work whose request scope never ended by the drain deadline, and reports it', async () => {
    const { app, clock, background } = await backgroundApp([], { shutdownTimeout: '4s' });
    let ran = false;
    const handlerDone = deferred();
    const handled = app.runInScope(async () => {
      background.after('audit', async () => {
        ran = true;
      });
      await handlerDone.promise;
    });

    const report = await settleWith(clock, app.stop(), '1s');
    handlerDone.resolve();
    await handled;
    await settleMicrotasks();

    expect(ran).toBe(false);
    expect(report.problems.map(({ source, error }) => ({ source, code: (error as BackgroundError).code }))).toEqual([
      { source: 'background', code: 'ORDO_BACKGROUND_STOPPED' },
    ]);
  });

  it('aborts the work a component started when the boot fails, and refuses new work', async () => {
    let signal: AbortSignal | undefined;
    @Component()
    class Warmer {
      constructor(@inject(Background) private readonly background: Background) {}
      @OnStart() warm() {
        this.background.run('warm', async (s) => {
          signal = s;
          await new Promise<void>(() => undefined);
        });
      }
    }
    @Component({ dependsOn: [Warmer] })
    class Broken {
      @OnStart() fail() {
        throw new Error('no database');
      }
    }
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(Logger).toConstantValue(new SilentLogger());
    container.bind(Warmer).toSelf();
    container.bind(Broken).toSelf();
    const app = await Ordo.create(container, { overrides: [[Clock, new VirtualClock()]] });

    await expect(app.start()).rejects.toMatchObject({ code: 'ORDO_START_FAILED' });

    expect(signal?.reason).toMatchObject({ code: 'ORDO_BACKGROUND_STOPPED', work: 'warm' });
    expect(thrown(() => app.get(Background).run('late', async () => undefined))).toMatchObject({
      code: 'ORDO_BACKGROUND_REFUSED',
    });
  });

  it('drains the follow-up work that a run of a schedule hands to Background while the schedules drain', async () => {
    const { app, clock, background } = await backgroundApp([Database]);
    const database = app.get(Database);
    app.schedules.add('export', { every: '1m' }, async ({ signal }) => {
      await clock.sleep('2s', signal);
      background.run('upload', async (uploadSignal) => {
        await clock.sleep('3s', uploadSignal);
        database.journal.push('upload finished');
      });
    });
    await clock.advance('1m1s'); // the run began at 1m and sleeps until 1m2s

    const report = await settleWith(clock, app.stop(), '1s');

    expect(database.journal).toEqual(['upload finished', 'database stopped']);
    expect(report).toMatchObject({ ok: true, problems: [] });
  });
});
