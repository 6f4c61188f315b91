import { Container, inject, injectable } from 'inversify';
import {
  Component,
  ConfigurationError,
  HealthCheck,
  InvalidDurationError,
  Module,
  OnStart,
  Ordo,
  TaskScope,
  type App,
  type CreateOptions,
} from '../../src/index.js';
import { appOf, testContainer } from '../support/app-fixtures.js';

/** Creates an app from a module listing the given providers, as a test of what create() makes of them. */
function moduleWith(providers: unknown[]): Promise<App> {
  @Module({ providers: providers as never })
  class AppModule {}
  return Ordo.create(AppModule);
}

/** Creates an empty app with the given options, typed loosely so that a test can pass what TypeScript refuses. */
function createWith(options: Record<string, unknown>): Promise<App> {
  return Ordo.create(testContainer(), options as CreateOptions);
}

@injectable()
class Mailer {}

/** Each value create() must refuse before anything runs: what it is given, and what its error must say. */
const invalidDeclarations: Array<[string, () => Promise<App>, string, RegExp]> = [
  [
    'dependsOn holding undefined (a class imported in a cycle of ES modules)',
    () => {
      @Component({ dependsOn: [undefined as never] })
      class Worker {}
      return appOf([Worker]).then((r) => r.app);
    },
    'ORDO_INVALID_OPTION',
    /^@Component\(\{ dependsOn \}\) of class Worker: dependsOn\[0\] is undefined, usually a class imported from a module that imports this one back/,
  ],
  [
    'dependsOn given as a string instead of an array',
    () => {
      @Component({ dependsOn: 'Database' as never })
      class Worker {}
      return appOf([Worker]).then((r) => r.app);
    },
    'ORDO_INVALID_OPTION',
    /^@Component\(\{ dependsOn \}\) of class Worker: expected an array .*got "Database"; write dependsOn: \["Database"\]/,
  ],
  [
    'dependsOn holding something that is neither a class nor a name',
    () => {
      @Component({ dependsOn: ['Database', 42 as never] })
      class Worker {}
      return appOf([Worker]).then((r) => r.app);
    },
    'ORDO_INVALID_OPTION',
    /^@Component\(\{ dependsOn \}\) of class Worker: dependsOn\[1\] is 42/,
  ],
  [
    'a component name that is not a string',
    () => {
      @Component({ name: 7 as never })
      class Worker {}
      return appOf([Worker]).then((r) => r.app);
    },
    'ORDO_INVALID_OPTION',
    /^@Component\(\{ name \}\) of class Worker: expected a non-empty string, got 7/,
  ],
  [
    'a module listing undefined among its components',
    () => {
      @Component()
      class Api {}
      @Module({ components: [Api, undefined as never] })
      class AppModule {}
      return Ordo.create(AppModule);
    },
    'ORDO_NOT_A_COMPONENT',
    /^AppModule's component #2 is undefined, usually a class imported from a module that imports this one back/,
  ],
  [
    'a module listing a plain class among its components',
    () => {
      @injectable()
      class Plain {}
      @Module({ components: [Plain] })
      class AppModule {}
      return Ordo.create(AppModule);
    },
    'ORDO_NOT_A_COMPONENT',
    /^AppModule's component #1, Plain, is not marked @Component\(\).*list it in providers/,
  ],
  [
    'a module whose components are not an array',
    () => {
      @Component()
      class Api {}
      @Module({ components: Api as never })
      class AppModule {}
      return Ordo.create(AppModule);
    },
    'ORDO_NOT_A_COMPONENT',
    /^@Module\(\{ components \}\) of AppModule must be an array, got Api; write components: \[Api\]/,
  ],
  [
    'a module importing undefined',
    () => {
      @Module({ imports: [undefined as never] })
      class AppModule {}
      return Ordo.create(AppModule);
    },
    'ORDO_NOT_A_MODULE',
    /^AppModule imports undefined, usually a class imported from a module that imports this one back/,
  ],
  [
    'an undefined root module',
    () => Ordo.create(undefined as never),
    'ORDO_NOT_A_MODULE',
    /^Ordo\.create\(\) takes a @Module class or an inversify Container, got undefined, usually a class imported/,
  ],
  [
    'a provider whose useClass is undefined',
    () => moduleWith([{ provide: Mailer, useClass: undefined }]),
    'ORDO_INVALID_PROVIDER',
    /^AppModule's provider #1 \(Mailer\) has useClass undefined, usually a class imported/,
  ],
  [
    'a provider whose useFactory is not a function',
    () => moduleWith([{ provide: Mailer, useFactory: 42 }]),
    'ORDO_INVALID_PROVIDER',
    /^AppModule's provider #1 \(Mailer\) has useFactory 42; expected a function/,
  ],
  [
    'a provider whose inject is a string',
    () => moduleWith([{ provide: Mailer, useFactory: () => new Mailer(), inject: 'Config' }]),
    'ORDO_INVALID_PROVIDER',
    /^AppModule's provider #1 \(Mailer\) has inject "Config"; expected an array of identifiers: inject: \["Config"\]/,
  ],
  [
    'a provider whose inject holds undefined',
    () => moduleWith([{ provide: Mailer, useFactory: () => new Mailer(), inject: ['Config', undefined] }]),
    'ORDO_INVALID_PROVIDER',
    /^AppModule's provider #1 \(Mailer\): inject\[1\] is undefined/,
  ],
  [
    'a provider with a misspelt scope',
    () => moduleWith([{ provide: Mailer, useClass: Mailer, scope: 'singelton' }]),
    'ORDO_INVALID_PROVIDER',
    /^AppModule's provider #1 \(Mailer\) has scope "singelton"; expected 'singleton', 'transient', 'request'/,
  ],
  [
    'a provider that provides undefined',
    () => moduleWith([{ provide: undefined, useValue: 1 }]),
    'ORDO_INVALID_PROVIDER',
    /^AppModule's provider #1: provide is undefined/,
  ],
  [
    'overrides that are not iterable',
    () => createWith({ overrides: { Clock: 'a clock' } }),
    'ORDO_INVALID_OPTION',
    /^Ordo\.create\(\) option overrides must be an iterable of \[identifier, value\] pairs.*got \{ Clock \}/,
  ],
  [
    'an override that is not a pair',
    () => createWith({ overrides: [[Mailer, new Mailer()], Mailer] }),
    'ORDO_INVALID_OPTION',
    /^Ordo\.create\(\) option overrides\[1\] must be a pair \[identifier, value\], got Mailer/,
  ],
  [
    'an override of undefined',
    () => createWith({ overrides: [[undefined, new Mailer()]] }),
    'ORDO_INVALID_OPTION',
    /^Ordo\.create\(\) option overrides\[0\] replaces undefined/,
  ],
  [
    'a negative appTaskEntries',
    () => createWith({ appTaskEntries: -1 }),
    'ORDO_INVALID_OPTION',
    /^Ordo\.create\(\) option appTaskEntries must be a whole number of at least 1 \(or Infinity\), got -1/,
  ],
  [
    'an appTaskEntries of NaN',
    () => createWith({ appTaskEntries: NaN }),
    'ORDO_INVALID_OPTION',
    /^Ordo\.create\(\) option appTaskEntries must be a whole number .*got NaN/,
  ],
  [
    'extensions that are not an array',
    () => createWith({ extensions: { name: 'scheduler' } }),
    'ORDO_INVALID_OPTION',
    /^Ordo\.create\(\) option extensions must be an array, got \{ name \}/,
  ],
  [
    'runtimes that are not an array',
    () => createWith({ runtimes: { name: 'scheduler' } }),
    'ORDO_INVALID_OPTION',
    /^Ordo\.create\(\) option runtimes must be an array, got \{ name \}/,
  ],
  [
    'a runtime without a name',
    () => createWith({ runtimes: [{ start() {} }] }),
    'ORDO_INVALID_OPTION',
    /^Ordo\.create\(\) option runtimes\[0\] must be an object with a name, got /,
  ],
  [
    'a component that injects TaskScope',
    () => {
      @Component()
      class Reports {
        constructor(@inject(TaskScope) readonly scope: TaskScope) {}
      }
      return appOf([Reports]).then((r) => r.app);
    },
    'ORDO_REQUEST_SCOPE_IN_SINGLETON',
    /^Component "Reports" is a singleton and injects TaskScope \(constructor argument 0 of Reports\), a request's scope; a component outlives every request: call currentTaskScope\(\) inside the method that needs it$/,
  ],
  [
    'a singleton service that injects TaskScope',
    () => {
      @injectable()
      class Handler {
        @inject(TaskScope) readonly scope!: TaskScope;
      }
      @Module({ providers: [Handler] })
      class AppModule {}
      return Ordo.create(AppModule);
    },
    'ORDO_REQUEST_SCOPE_IN_SINGLETON',
    /^Handler is a singleton and injects TaskScope \(property scope of Handler\), a request's scope; a singleton outlives every request: call currentTaskScope\(\) inside the method that needs it, or bind Handler in request or transient scope$/,
  ],
  [
    'a singleton service that injects TaskScope through a transient service',
    () => {
      @injectable()
      class Loader {
        constructor(@inject(TaskScope) readonly scope: TaskScope) {}
      }
      @injectable()
      class Handler {
        constructor(readonly loader: Loader) {}
      }
      @Module({ providers: [Handler, { provide: Loader, useClass: Loader, scope: 'transient' }] })
      class AppModule {}
      return Ordo.create(AppModule);
    },
    'ORDO_REQUEST_SCOPE_IN_SINGLETON',
    /^Handler is a singleton and injects TaskScope through Loader \(constructor argument 0 of Loader\).*bind Handler in request or transient scope$/,
  ],
  [
    'a singleton factory that injects TaskScope',
    () => moduleWith([{ provide: 'report', useFactory: (scope: TaskScope) => scope, inject: [TaskScope] }]),
    'ORDO_REQUEST_SCOPE_IN_SINGLETON',
    /^"report" is a singleton and injects TaskScope \(through the factory of "report"\)/,
  ],
  [
    'a Container from another copy of inversify',
    () => {
      // What a second copy's Container looks like from here: every method, but not an instance of Ordo's class.
      class Container {
        bind() {}
        unbind() {}
        rebind() {}
        isBound() {
          return false;
        }
        get() {}
        getAsync() {}
      }
      return Ordo.create(new Container() as never);
    },
    'ORDO_FOREIGN_CONTAINER',
    /two copies are installed.*npm ls inversify.*npm dedupe/,
  ],
];

describe('Ordo.create() refuses declarations that cannot work', () => {
  it.each(invalidDeclarations)(
    'rejects %s with a ConfigurationError naming it',
    async (_what, create, code, message) => {
      const error = await create().then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
    },
  );
});

/** Each duration option that cannot work, and how its error must begin: with the option and whose it is. */
const invalidDurations: Array<[string, () => Promise<App>, RegExp]> = [
  [
    'a negative shutdownTimeout',
    () => createWith({ shutdownTimeout: -1 }),
    /^Ordo\.create\(\) option shutdownTimeout: Invalid duration -1: durations cannot be negative/,
  ],
  [
    'a drainDelay of NaN',
    () => createWith({ drainDelay: NaN }),
    /^Ordo\.create\(\) option drainDelay: Invalid duration NaN: it is NaN/,
  ],
  [
    'a negative startTimeout',
    () => {
      @Component({ startTimeout: -1 })
      class Database {}
      return appOf([Database]).then((r) => r.app);
    },
    /^@Component\(\{ startTimeout \}\) of class Database: Invalid duration -1/,
  ],
  [
    'an unreadable stopTimeout',
    () => {
      @Component({ stopTimeout: 'soon' })
      class Database {}
      return appOf([Database]).then((r) => r.app);
    },
    /^@Component\(\{ stopTimeout \}\) of class Database: Invalid duration "soon"/,
  ],
  [
    'an unreadable @HealthCheck timeout',
    () => {
      @Component()
      class Database {
        @HealthCheck({ timeout: 'soon' }) check() {
          return 'up' as const;
        }
      }
      return appOf([Database]).then((r) => r.app);
    },
    /^@HealthCheck\(\{ timeout \}\) of Database\.check: Invalid duration "soon"/,
  ],
];

describe('Ordo.create() refuses durations that cannot work', () => {
  it.each(invalidDurations)(
    'rejects %s, naming the option, with the duration error as cause',
    async (_what, create, message) => {
      const error = await create().then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({
        code: 'ORDO_INVALID_OPTION',
        message: expect.stringMatching(message),
        cause: expect.any(InvalidDurationError),
      });
    },
  );
});

/** Deadlines of no time at all: no hook, probe or shutdown could meet them. */
const zeroDeadlines: Array<[string, () => Promise<App>, RegExp]> = [
  [
    'a shutdownTimeout of 0',
    () => createWith({ shutdownTimeout: 0 }),
    /^Ordo\.create\(\) option shutdownTimeout: 0 is no time at all/,
  ],
  [
    'a startTimeout of 0',
    () => {
      @Component({ startTimeout: '0s' })
      class Database {}
      return appOf([Database]).then((r) => r.app);
    },
    /^@Component\(\{ startTimeout \}\) of class Database: "0s" is no time at all/,
  ],
  [
    'a @HealthCheck timeout of 0',
    () => {
      @Component()
      class Database {
        @HealthCheck({ timeout: 0 }) check() {
          return 'up' as const;
        }
      }
      return appOf([Database]).then((r) => r.app);
    },
    /^@HealthCheck\(\{ timeout \}\) of Database\.check: 0 is no time at all/,
  ],
];

describe('Ordo.create() refuses deadlines of 0', () => {
  it.each(zeroDeadlines)('rejects %s, naming the option', async (_what, create, message) => {
    await expect(create()).rejects.toMatchObject({
      code: 'ORDO_INVALID_OPTION',
      message: expect.stringMatching(message),
    });
  });
});

describe('what Ordo.create() accepts', () => {
  it('accepts a drainDelay of 0 and an unbounded app-wide memo', async () => {
    const app = await createWith({ drainDelay: 0, appTaskEntries: Infinity });

    expect(app.state).toBe('created');
  });

  it('accepts TaskScope injected into a request-scoped service that a transient service injects', async () => {
    @injectable()
    class Loader {
      constructor(@inject(TaskScope) readonly scope: TaskScope) {}
    }
    @injectable()
    class Handler {
      constructor(readonly loader: Loader) {}
    }
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(Loader).toSelf().inRequestScope();
    container.bind(Handler).toSelf().inTransientScope();
    const app = await Ordo.create(container);
    const scope = app.scope();

    const handler = scope.run(() => app.get(Handler));

    expect(handler.loader.scope).toBe(scope.tasks);
  });

  it('runs no constructor and no factory of the app', async () => {
    const ran: string[] = [];
    @injectable()
    class Config {
      constructor() {
        ran.push('Config');
      }
    }
    @Component()
    class Database {
      constructor(readonly config: Config) {
        ran.push('Database');
      }
      @OnStart() start() {
        ran.push('Database.start');
      }
    }
    @Module({
      components: [Database],
      providers: [
        Config,
        { provide: 'pool', useFactory: (config: Config) => ran.push(`pool:${String(config)}`), inject: [Config] },
      ],
    })
    class AppModule {}

    await Ordo.create(AppModule);

    expect(ran).toEqual([]);
  });
});
