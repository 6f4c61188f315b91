import { inject } from 'inversify';
import {
  Clock,
  Component,
  type Duration,
  type TimerHandle,
  Every,
  Logger,
  OnStop,
  type OverlapPolicy,
  type ScheduleRunContext,
  SystemClock,
  VirtualClock,
} from '../../src/index.js';
import { appOf, Journal } from '../support/app-fixtures.js';
import { FakeHost } from '../support/fake-host.js';

const MINUTE = 60_000;

/** A logger that keeps what it was told, for assertions. */
class RecordingLogger extends Logger {
  readonly errors: Array<{ fields: object; message?: string }> = [];
  readonly warnings: Array<{ fields: object; message?: string }> = [];
  debug(): void {}
  info(): void {}
  warn(fields: object, message?: string): void {
    this.warnings.push({ fields, message });
  }
  error(fields: object, message?: string): void {
    this.errors.push({ fields, message });
  }
}

/** An app with one schedule added at run time: every minute, each run taking `runFor` on the clock. */
async function slowJob(overlap: OverlapPolicy, runFor: string) {
  const { app, clock, journal } = await appOf([]);
  const starts: number[] = [];
  app.schedules.add('slow', { every: '1m', overlap }, async ({ signal }) => {
    starts.push(clock.now());
    await clock.sleep(runFor, signal);
  });
  await app.start();
  return { app, clock, journal, starts, began: clock.now() };
}

describe('overlapping runs', () => {
  it("skips a due run while the previous one still runs under 'skip', and counts it", async () => {
    const { app, clock, starts, began } = await slowJob('skip', '90s');

    await clock.advance('4m');

    expect(starts.map((t) => (t - began) / MINUTE)).toEqual([1, 3]);
    expect(app.schedules.get('slow')).toMatchObject({ runs: 2, skips: 2 });
  });

  it("runs a due run once the previous one finished under 'queue', with at most one waiting", async () => {
    const { app, clock, starts, began } = await slowJob('queue', '150s');

    await clock.advance('6m');

    // 1m runs to 3.5m; 2m waits (3m is skipped), starts at 3.5m and runs to 6m.
    expect(starts.map((t) => (t - began) / MINUTE)).toEqual([1, 3.5, 6]);
    expect(app.schedules.get('slow').skips).toBeGreaterThan(0);
  });

  it("runs beside the previous one under 'allow'", async () => {
    const { clock, starts, began } = await slowJob('allow', '150s');

    await clock.advance('3m');

    expect(starts.map((t) => (t - began) / MINUTE)).toEqual([1, 2, 3]);
  });
});

describe('a run with a timeout', () => {
  it('has its signal aborted at the timeout, with a reason naming the schedule', async () => {
    const { app, clock } = await appOf([]);
    let reason: unknown;
    app.schedules.add('export', { every: '1h', timeout: '5m' }, ({ signal }) =>
      clock.sleep('1h', signal).catch(() => (reason = signal.reason)),
    );
    await app.start();

    await clock.advance('1h5m');

    expect(reason).toMatchObject({ code: 'ORDO_SCHEDULE_TIMEOUT', schedule: 'export' });
    expect((reason as Error).message).toContain('"export"');
    expect((reason as Error).message).toContain('timed out after 5m');
  });
});

describe('a run that fails', () => {
  it('is logged with its name, counted and emitted as schedule:failed, and the schedule goes on', async () => {
    const logger = new RecordingLogger();
    const { app, clock } = await appOf([], { overrides: [[Logger, logger]] });
    const failed: Array<{ name: string; error: unknown }> = [];
    app.events.on('schedule:failed', ({ name, error }) => failed.push({ name, error }));
    const boom = new Error('boom');
    let calls = 0;
    app.schedules.add('flaky', { every: '1m' }, () => {
      calls++;
      if (calls === 1) throw boom;
      if (calls === 2) return Promise.reject(boom);
    });
    await app.start();

    await clock.advance('3m');

    expect(calls).toBe(3);
    expect(failed).toEqual([
      { name: 'flaky', error: boom },
      { name: 'flaky', error: boom },
    ]);
    expect(logger.errors).toEqual([
      { fields: { schedule: 'flaky', err: boom }, message: 'scheduled run failed' },
      { fields: { schedule: 'flaky', err: boom }, message: 'scheduled run failed' },
    ]);
    expect(app.schedules.get('flaky')).toMatchObject({ runs: 3, failures: 2, lastOutcome: 'succeeded' });
  });
});

describe('missed runs', () => {
  it('makes up a jump of the clock with one catch-up run, and counts the slots missed', async () => {
    const { app, clock } = await appOf([]);
    const slots: number[] = [];
    app.schedules.add('hourly', { every: '1h' }, ({ scheduledAt }) => {
      slots.push(scheduledAt.getTime());
    });
    await app.start();
    const began = clock.now();

    await clock.jump('5h30m');

    expect(slots).toEqual([began + 5 * 60 * MINUTE]);
    expect(app.schedules.get('hourly')).toMatchObject({ runs: 1, missed: 4 });
  });

  it('runs within the re-check interval of waking from a sleep, not after the time left on its host timer', async () => {
    const host = new FakeHost();
    const clock = new SystemClock({ host });
    const { app } = await appOf([], { overrides: [[Clock, clock]] });
    const starts: number[] = [];
    app.schedules.add('hourly', { every: '1h' }, () => {
      starts.push(clock.now());
    });
    await app.start();

    host.runUntil(30 * MINUTE);
    // The machine sleeps 45 minutes: wall time moves, the host's timers (monotonic) do not.
    host.wallOffset += 45 * MINUTE;
    host.runUntil(31 * MINUTE);

    expect(starts).toEqual([76 * MINUTE]);
  });

  it('arms its timer for the next run itself on a clock whose timers keep pace with its time', async () => {
    const clock = new DelayRecordingClock(new VirtualClock());
    const { app } = await appOf([], { overrides: [[Clock, clock]] });
    app.schedules.add('hourly', { every: '1h' }, () => {});

    await app.start();

    expect(clock.delays).toEqual([60 * MINUTE]);
  });

  it('arms its timer for at most the clock’s re-check interval', async () => {
    const clock = new DelayRecordingClock(new VirtualClock(0, { wallRecheckInterval: '1m' }));
    const { app } = await appOf([], { overrides: [[Clock, clock]] });
    app.schedules.add('hourly', { every: '1h' }, () => {});

    await app.start();
    await clock.inner.advance('3m');

    expect(clock.delays).toEqual([MINUTE, MINUTE, MINUTE, MINUTE]);
  });
});

/** A clock that hands every timer to `inner` and records the delay each timer was armed or reset for. */
class DelayRecordingClock extends Clock {
  readonly delays: Duration[] = [];
  constructor(readonly inner: VirtualClock) {
    super();
  }
  now(): number {
    return this.inner.now();
  }
  override get wallRecheckInterval(): number | undefined {
    return this.inner.wallRecheckInterval;
  }
  setTimer(d: Duration, fn: () => void): TimerHandle {
    this.delays.push(d);
    const timer = this.inner.setTimer(d, fn);
    return {
      cancel: () => timer.cancel(),
      reset: (next: Duration) => {
        this.delays.push(next);
        timer.reset(next);
      },
    };
  }
}

@Component()
class Pool {
  closed = false;
  @OnStop() close(): void {
    this.closed = true;
  }
}

@Component()
class Reporter {
  readonly sawClosed: boolean[] = [];
  constructor(
    readonly pool: Pool,
    @inject(Clock) private readonly clock: Clock,
    @inject(Journal) private readonly journal: Journal,
  ) {}

  @Every('1m')
  async report({ signal }: ScheduleRunContext): Promise<void> {
    this.journal.record('run starts');
    this.sawClosed.push(this.pool.closed);
    await this.clock.sleep('10s', signal);
    this.sawClosed.push(this.pool.closed);
    this.journal.record('run ends');
  }
}

describe('stopping', () => {
  it('lets an in-flight run finish before any component stops, and starts no run after stop() began', async () => {
    const { app, clock, journal } = await appOf([Pool, Reporter]);
    app.events.on('component:stopping', ({ name }) => journal.record(`stopping ${name}`));
    await app.start();
    await clock.advance('1m5s'); // the run, begun at 1m, sleeps until 1m10s

    const stopping = app.stop();
    await clock.advance('5m');
    const report = await stopping;

    expect(report.ok).toBe(true);
    expect(journal.entries).toEqual(['run starts', 'run ends', 'stopping Reporter', 'stopping Pool']);
    expect(app.get(Reporter).sawClosed).toEqual([false, false]);
  });

  it('aborts runs still going at the drain deadline, then reports the ones that ignored it', async () => {
    const { app, clock } = await appOf([], { shutdownTimeout: '10s' });
    let politeReason: unknown;
    app.schedules.add('polite', { every: '1m' }, ({ signal }) =>
      clock.sleep('1h', signal).catch(() => (politeReason = signal.reason)),
    );
    app.schedules.add('stubborn', { every: '1m' }, () => clock.sleep('1h'));
    await app.start();
    await clock.advance('1m');

    const stopping = app.stop();
    await clock.advance('10s');
    const report = await stopping;

    expect(politeReason).toMatchObject({ code: 'ORDO_SCHEDULE_STOPPED', schedule: 'polite' });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        source: 'schedules',
        error: expect.objectContaining({ code: 'ORDO_SCHEDULE_ABANDONED', schedule: 'stubborn' }),
      },
    ]);
  });
});
