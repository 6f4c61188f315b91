import { Container, injectable } from 'inversify';
import { Component, ConfigurationError, Job, Logger, Ordo, SilentLogger, type JobOptions } from '../../src/index.js';
import { MemoryBackend, rejectionOf } from './support/job-fixtures.js';

/** A component with one job, made fresh so that each test declares its own. */
function mailerWith(name: string, options?: JobOptions) {
  @Component()
  class Mailer {
    @Job(name, options)
    async send(): Promise<void> {}
  }
  return Mailer;
}

function createWith(bind: (container: Container) => void): Promise<unknown> {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Logger).toConstantValue(new SilentLogger());
  bind(container);
  return Ordo.create(container, { jobs: { backend: new MemoryBackend() } });
}

function createWithClasses(...classes: Array<new (...args: never[]) => unknown>): Promise<unknown> {
  return createWith((container) => {
    for (const type of classes) container.bind(type).toSelf();
  });
}

describe('declaring a job', () => {
  it('never throws while a module declares it, however wrong it is', () => {
    expect(() => mailerWith('', { attempts: -1 })).not.toThrow();
  });

  it('is accepted on a component and on a singleton service', async () => {
    @injectable()
    class Billing {
      @Job('charge')
      async charge(): Promise<void> {}
    }

    await expect(createWithClasses(mailerWith('send'), Billing)).resolves.toBeDefined();
  });
});

describe('Ordo.create() checking a job', () => {
  it.each([[''], ['   ']])('refuses the name %j, naming the class and method', async (name) => {
    const error = await rejectionOf(createWithClasses(mailerWith(name)));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.code).toBe('ORDO_INVALID_JOB');
    expect(error.message).toContain("on Mailer.send: the job's name must be a non-empty string");
  });

  it('refuses two handlers of one name, naming both methods', async () => {
    @Component()
    class Newsletter {
      @Job('send')
      async deliver(): Promise<void> {}
    }

    const error = await rejectionOf(createWithClasses(mailerWith('send'), Newsletter));

    expect(error.code).toBe('ORDO_DUPLICATE_JOB');
    expect(error.message).toBe(
      'Two job handlers are named "send": @Job("send") on Mailer.send and @Job("send") on Newsletter.deliver; a job name has one handler per app, rename one',
    );
  });

  it.each<[JobOptions, string]>([
    [{ attempts: 0 }, 'attempts must be a whole number of at least 1, got 0'],
    [{ attempts: 1.5 }, 'attempts must be a whole number of at least 1, got 1.5'],
    [{ concurrency: 0 }, 'concurrency must be a whole number of at least 1, got 0'],
    [{ timeout: 'soon' }, 'timeout: '],
    [{ timeout: 0 }, 'timeout 0 is a deadline no attempt can meet'],
    [{ backoff: { type: 'linear' } as never }, 'backoff must be'],
    [{ retries: 3 } as never, 'unknown option retries'],
  ])('refuses the options %j, naming the job and the option', async (options, fragment) => {
    const error = await rejectionOf(createWithClasses(mailerWith('send', options)));

    expect(error.code).toBe('ORDO_INVALID_JOB');
    expect(error.message).toContain(`@Job("send") on Mailer.send: ${fragment}`);
  });

  it('keeps the parse error as the cause of a bad timeout', async () => {
    const error = await rejectionOf(createWithClasses(mailerWith('send', { timeout: 'soon' })));

    expect((error.cause as { code?: string }).code).toBe('ORDO_INVALID_DURATION');
  });

  it('refuses a @Job on a static method', async () => {
    @Component()
    class Mailer {
      @Job('send')
      static async send(): Promise<void> {}
    }

    const error = await rejectionOf(createWithClasses(Mailer));

    expect(error.code).toBe('ORDO_INVALID_JOB');
    expect(error.message).toBe('@Job("send") on static Mailer.send: jobs run instance methods');
  });

  it('refuses two @Job decorators on one method', async () => {
    @Component()
    class Mailer {
      @Job('a')
      @Job('b')
      async send(): Promise<void> {}
    }

    const error = await rejectionOf(createWithClasses(Mailer));

    expect(error.code).toBe('ORDO_INVALID_JOB');
    expect(error.message).toContain('Mailer.send has two @Job decorators');
  });

  it.each([
    ['request', 'Request', 'a job runs outside any request'],
    ['transient', 'Transient', 'a transient provider is a new instance at every resolution'],
  ])('refuses a handler on a %s-scoped service, naming it and the scope', async (_label, scope, why) => {
    @injectable()
    class Billing {
      @Job('charge')
      async charge(): Promise<void> {}
    }

    const error = await rejectionOf(
      createWith((container) => {
        const bound = container.bind(Billing).toSelf();
        if (scope === 'Request') bound.inRequestScope();
        else bound.inTransientScope();
      }),
    );

    expect(error.code).toBe('ORDO_JOB_SCOPE');
    expect(error.message).toContain(
      `Billing.charge is a @Job handler, but Billing is bound to Billing in ${scope} scope: `,
    );
    expect(error.message).toContain(why);
  });

  it('reads a @Job inherited from a base class', async () => {
    @Component()
    class Sender {
      @Job('send')
      async send(): Promise<void> {}
    }
    @Component()
    class Mailer extends Sender {}
    @Component()
    class Newsletter {
      @Job('send')
      async deliver(): Promise<void> {}
    }

    const error = await rejectionOf(createWithClasses(Mailer, Newsletter));

    expect(error.message).toContain('@Job("send") on Mailer.send and @Job("send") on Newsletter.deliver');
  });
});
