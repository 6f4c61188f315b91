import { jest } from '@jest/globals';
import { Component, ConsoleLogger, Logger, OnStart, OnStop, StartupError } from '../../src/index.js';
import { Journal, appOf } from '../support/app-fixtures.js';

/** A Logger that records every entry as `level message fields`, and throws in the levels it is told to. */
class RecordingLogger extends Logger {
  readonly lines: Array<{ level: string; message?: string; fields: object }> = [];
  constructor(private readonly throwsIn: readonly string[] = []) {
    super();
  }
  debug(fields: object, message?: string) {
    this.record('debug', fields, message);
  }
  info(fields: object, message?: string) {
    this.record('info', fields, message);
  }
  warn(fields: object, message?: string) {
    this.record('warn', fields, message);
  }
  error(fields: object, message?: string) {
    this.record('error', fields, message);
  }
  private record(level: string, fields: object, message?: string) {
    if (this.throwsIn.includes(level)) throw new Error(`log sink down (${level})`);
    this.lines.push({ level, message, fields });
  }
}

describe('a Logger that throws', () => {
  beforeEach(() => jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('in info() does not fail the boot', async () => {
    @Component()
    class Database {
      @OnStart() start() {}
    }
    const { app } = await appOf([Database], { overrides: [[Logger, new RecordingLogger(['info'])]] });

    await app.start();

    expect(app.state).toBe('running');
    await app.stop();
  });

  it('in error() still fails the boot with the hook error, and the started components are stopped', async () => {
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
        throw new Error('port taken');
      }
    }
    const { app } = await appOf([Database, Api], {
      journal,
      overrides: [[Logger, new RecordingLogger(['error', 'info'])]],
    });

    const error = await app.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StartupError);
    expect({ code: (error as StartupError).code, state: app.state, stopped: journal.entries }).toEqual({
      code: 'ORDO_START_FAILED',
      state: 'failed',
      stopped: ['stop:Database'],
    });
  });

  it('is reported once as a process warning', async () => {
    @Component()
    class A {
      @OnStart() start() {}
    }
    @Component()
    class B {
      @OnStart() start() {}
    }
    const { app } = await appOf([A, B], { overrides: [[Logger, new RecordingLogger(['info'])]] });

    await app.start();
    await app.stop();

    expect(jest.mocked(process.emitWarning).mock.calls).toEqual([[expect.stringContaining('log sink down (info)')]]);
  });
});

describe('what the app logs', () => {
  it('names no reason when stop() was given none', async () => {
    const logger = new RecordingLogger();
    const { app } = await appOf([], { overrides: [[Logger, logger]] });
    await app.start();

    await app.stop();

    expect(logger.lines.find((l) => l.message === 'app stopping')?.fields).toEqual({});
  });

  it('names the reason stop() was given', async () => {
    const logger = new RecordingLogger();
    const { app } = await appOf([], { overrides: [[Logger, logger]] });
    await app.start();

    await app.stop('SIGTERM');

    expect(logger.lines.find((l) => l.message === 'app stopping')?.fields).toEqual({ reason: 'SIGTERM' });
  });

  it('says app:stopped is not ok after a failed boot, however clean the rollback', async () => {
    @Component()
    class Failing {
      @OnStart() start() {
        throw new Error('boom');
      }
    }
    const { app } = await appOf([Failing]);
    const stopped: boolean[] = [];
    app.events.on('app:stopped', ({ ok }) => stopped.push(ok));

    const error = (await app.start().catch((e: unknown) => e)) as StartupError;

    expect({ event: stopped, rollbackClean: error.rollback.ok }).toEqual({ event: [false], rollbackClean: true });
  });
});

describe('the ConsoleLogger', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes an error with its name, message, code, stack and cause chain', () => {
    const lines: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    const root = Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    const error = new StartupError(
      'ORDO_START_FAILED',
      'Component "Database" failed to start',
      'Database',
      {} as never,
      { cause: root },
    );

    new ConsoleLogger().error({ err: error }, 'component failed to start');

    const json = JSON.parse(lines[0]!.slice('[ordo] component failed to start '.length)) as {
      err: Record<string, unknown>;
    };
    expect(json.err).toEqual({
      name: 'StartupError',
      message: 'Component "Database" failed to start',
      code: 'ORDO_START_FAILED',
      stack: error.stack,
      cause: { name: 'Error', message: 'connection refused', code: 'ECONNREFUSED', stack: root.stack },
    });
  });

  it('writes a cycle of causes without overflowing', () => {
    const lines: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    const error = new Error('loop');
    (error as { cause?: unknown }).cause = error;

    new ConsoleLogger().error({ err: error });

    expect(lines[0]).toContain('"cause":"[circular Error]"');
  });
});
