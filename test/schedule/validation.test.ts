import { Container, injectable } from 'inversify';
import {
  Component,
  ConfigurationError,
  Cron,
  Every,
  Logger,
  Ordo,
  SilentLogger,
  type CronOptions,
  type EveryOptions,
} from '../../src/index.js';

/** A class with one schedule, made fresh so that each test declares its own. */
function everyOn(period: string | number, options: EveryOptions = {}) {
  @Component()
  class Reports {
    @Every(period, options)
    nightly(): void {}
  }
  return Reports;
}

function cronOn(expression: string, options: CronOptions = {}) {
  @Component()
  class Reports {
    @Cron(expression, options)
    nightly(): void {}
  }
  return Reports;
}

function createWith(...classes: Array<new (...args: never[]) => unknown>): Promise<unknown> {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Logger).toConstantValue(new SilentLogger());
  for (const type of classes) container.bind(type).toSelf();
  return Ordo.create(container);
}

async function failureOf(promise: Promise<unknown>): Promise<ConfigurationError> {
  try {
    await promise;
  } catch (error) {
    return error as ConfigurationError;
  }
  throw new Error('expected Ordo.create() to fail');
}

describe('declaring a schedule', () => {
  it('never throws while a module declares it, however wrong it is', () => {
    expect(() => everyOn('soon')).not.toThrow();
    expect(() => cronOn('0 0 32 * *', { timeZone: 'Mars/Base' })).not.toThrow();
  });
});

describe('Ordo.create() checking a schedule', () => {
  it('refuses an invalid duration, naming the class, the method and the value, with the parse error as cause', async () => {
    const error = await failureOf(createWith(everyOn('1 hour')));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.code).toBe('ORDO_INVALID_SCHEDULE');
    expect(error.message).toContain('@Every("1 hour") on Reports.nightly');
    expect(error.cause).toMatchObject({ code: 'ORDO_INVALID_DURATION' });
  });

  it.each([[0], ['0s'], [-5]])('refuses the period %p, which is not positive', async (period) => {
    const error = await failureOf(createWith(everyOn(period)));

    expect(error.code).toBe('ORDO_INVALID_SCHEDULE');
    expect(error.message).toContain('Reports.nightly');
  });

  it('refuses a jitter not shorter than the period', async () => {
    const error = await failureOf(createWith(everyOn('1h', { jitter: '1h' })));

    expect(error.code).toBe('ORDO_INVALID_SCHEDULE');
    expect(error.message).toMatch(/jitter 1h is not shorter than the period 1h/);
  });

  it('refuses an unknown overlap policy', async () => {
    const error = await failureOf(createWith(everyOn('1h', { overlap: 'wait' as never })));

    expect(error.message).toContain(`overlap "wait" is not one of 'skip', 'queue', 'allow'`);
  });

  it.each([
    ['0 0 32 * *', 'day of month 32 is out of range (1-31)'],
    ['0 0 0 * *', 'day of month 0 is out of range (1-31)'],
    ['0 0 * 13 *', 'month 13 is out of range (1-12)'],
    ['60 * * * *', 'minute 60 is out of range (0-59)'],
    ['0 25 * * *', 'hour 25 is out of range (0-23)'],
    ['0 0 * * 8', 'day of week 8 is out of range'],
    ['* * * *', 'exactly five, six, or seven space separated parts are required'],
  ])('refuses the cron %p, saying "%s", with croner\'s error as cause', async (expression, says) => {
    const error = await failureOf(createWith(cronOn(expression)));

    expect(error.code).toBe('ORDO_INVALID_CRON');
    expect(error.message).toContain(`@Cron(${JSON.stringify(expression)}) on Reports.nightly`);
    expect(error.message).toContain(says);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('refuses an unknown time zone at create(), not at the first run', async () => {
    const error = await failureOf(createWith(cronOn('0 3 * * *', { timeZone: 'America/NewYork' })));

    expect(error.code).toBe('ORDO_INVALID_TIME_ZONE');
    expect(error.message).toContain('"America/NewYork"');
    expect(error.message).toContain('Reports.nightly');
  });

  it("refuses the empty time zone, which croner would read as the host's", async () => {
    const error = await failureOf(createWith(cronOn('0 3 * * *', { timeZone: '' })));

    expect(error.code).toBe('ORDO_INVALID_TIME_ZONE');
  });

  it.each([
    ['transient', 'Transient'],
    ['request-scoped', 'Request'],
  ] as const)('refuses a schedule on a %s provider, explaining why', async (_label, scope) => {
    @injectable()
    class Cleaner {
      @Every('1h') sweep(): void {}
    }
    const container = new Container({ defaultScope: 'Singleton' });
    const bound = container.bind(Cleaner).toSelf();
    if (scope === 'Transient') bound.inTransientScope();
    else bound.inRequestScope();

    const error = await failureOf(Ordo.create(container));

    expect(error.code).toBe('ORDO_SCHEDULE_SCOPE');
    expect(error.message).toContain(`Cleaner.sweep has a schedule, but Cleaner is bound to Cleaner in ${scope} scope`);
    expect(error.message).toContain('.inSingletonScope()');
  });

  it('accepts a schedule on a singleton service that is not a component', async () => {
    @injectable()
    class Cleaner {
      @Every('1h') sweep(): void {}
    }

    const app = (await createWith(Cleaner)) as { schedules: { list(): Array<{ name: string }> } };

    expect(app.schedules.list().map((schedule) => schedule.name)).toEqual(['Cleaner.sweep']);
  });

  it('refuses two schedules with one name, naming both', async () => {
    const first = everyOn('1h', { name: 'nightly' });
    const second = cronOn('0 3 * * *', { name: 'nightly' });

    const error = await failureOf(createWith(first, second));

    expect(error.code).toBe('ORDO_DUPLICATE_SCHEDULE_NAME');
    expect(error.message).toContain('Two schedules are named "nightly"');
  });

  it('refuses a schedule on a static method', async () => {
    @Component()
    class Reports {
      @Every('1h') static nightly(): void {}
    }

    const error = await failureOf(createWith(Reports));

    expect(error.code).toBe('ORDO_INVALID_SCHEDULE');
    expect(error.message).toContain('static Reports.nightly');
  });
});
