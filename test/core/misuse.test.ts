import { Container, inject, injectable } from 'inversify';
import {
  Component,
  ConfigurationError,
  ConsoleLogger,
  HealthCheck,
  Logger,
  Module,
  OnStart,
  OnStop,
  Ordo,
  SilentLogger,
  type App,
} from '../../src/index.js';
import { appOf, testContainer } from '../support/app-fixtures.js';

/** Each misuse, set up afresh: what `Ordo.create()` is given, and what its error must say. */
const misuses: Array<[string, () => Promise<App>, string, RegExp]> = [
  [
    'two @OnStart methods on one class',
    () => {
      @Component()
      class Twice {
        @OnStart() a() {}
        @OnStart() b() {}
      }
      return appOf([Twice]).then((r) => r.app);
    },
    'ORDO_DUPLICATE_HOOK',
    /Twice\.b and Twice\.a/,
  ],
  [
    'a hook on a static method',
    () => {
      @Component()
      class Statics {
        @OnStart() static boot() {}
      }
      return appOf([Statics]).then((r) => r.app);
    },
    'ORDO_HOOK_ON_STATIC',
    /static Statics\.boot/,
  ],
  [
    'hooks on a class that is not a @Component',
    () => {
      @injectable()
      class Forgotten {
        @OnStop() close() {}
      }
      return appOf([Forgotten]).then((r) => r.app);
    },
    'ORDO_HOOKS_WITHOUT_COMPONENT',
    /Forgotten .*@OnStop\(\) Forgotten\.close.*not marked @Component/,
  ],
  [
    'a subclass of a component without a @Component of its own',
    () => {
      @Component()
      class Base {
        @OnStart() start() {}
      }
      class Derived extends Base {}
      return appOf([Derived]).then((r) => r.app);
    },
    'ORDO_SUBCLASS_NOT_COMPONENT',
    /Derived extends the component Base .*mark Derived with @Component/,
  ],
  [
    'a component whose dependsOn names itself',
    () => {
      @Component({ name: 'narcissus', dependsOn: ['narcissus'] })
      class Narcissus {}
      return appOf([Narcissus]).then((r) => r.app);
    },
    'ORDO_DEPENDENCY_CYCLE',
    /"narcissus" dependsOn itself/,
  ],
  [
    'a component that reaches itself through a service',
    () => {
      @injectable()
      class Registry {
        constructor(@inject('Owner') readonly owner: unknown) {}
      }
      @Component({ name: 'owner' })
      class Owner {
        constructor(readonly registry: Registry) {}
      }
      const container = testContainer();
      container.bind(Owner).toSelf();
      container.bind('Owner').toService(Owner);
      container.bind(Registry).toSelf();
      return Ordo.create(container);
    },
    'ORDO_DEPENDENCY_CYCLE',
    /owner -> Registry -> owner/,
  ],
  [
    'services that inject each other',
    () => {
      @injectable()
      class Left {
        constructor(@inject('Right') readonly right: unknown) {}
      }
      @injectable()
      class Right {
        constructor(readonly left: Left) {}
      }
      @Component()
      class User {
        constructor(readonly left: Left) {}
      }
      const container = testContainer();
      for (const type of [Left, Right, User] as Array<new (...args: never[]) => unknown>) container.bind(type).toSelf();
      container.bind('Right').toService(Right);
      return Ordo.create(container);
    },
    'ORDO_DEPENDENCY_CYCLE',
    /Left -> Right -> Left/,
  ],
  [
    'one component class bound twice',
    () => {
      @Component()
      class Shared {}
      const container = testContainer();
      container.bind(Shared).toSelf();
      container.bind('shared').to(Shared);
      return Ordo.create(container);
    },
    'ORDO_COMPONENT_BOUND_TWICE',
    /Shared is bound twice \(to Shared and to "shared"\)/,
  ],
  [
    'a provider that is neither a class nor a provider object',
    () => {
      @Module({ providers: [{ token: 'x' } as never] })
      class BadModule {}
      return Ordo.create(BadModule);
    },
    'ORDO_INVALID_PROVIDER',
    /BadModule's provider #1 \(\{ token \}\)/,
  ],
];

describe('misuse found by Ordo.create()', () => {
  it.each(misuses)('rejects %s with a ConfigurationError naming it', async (_what, create, code, message) => {
    const error = await create().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
  });
});

describe('what discovery accepts', () => {
  it('binds a component listed by two modules once', async () => {
    @Component()
    class Shared {}
    @Module({ components: [Shared] })
    class Left {}
    @Module({ components: [Shared] })
    class Right {}
    @Module({ imports: [Left, Right], providers: [{ provide: Logger, useValue: new SilentLogger() }] })
    class Root {}

    const app = await Ordo.create(Root);

    expect(app.startOrder).toEqual([['Shared']]);
  });

  it('finds a component a factory provides, ordered after the components its factory injects', async () => {
    const started: string[] = [];
    @Component()
    class Config {
      @OnStart() start() {
        started.push('Config');
      }
    }
    @Component()
    class Database {
      constructor(readonly url: string) {}
      @OnStart() start() {
        started.push(`Database:${this.url}`);
      }
    }
    @Module({
      components: [Config],
      providers: [
        {
          provide: Database,
          useFactory: (config: Config) => new Database(config ? 'postgres://db' : ''),
          inject: [Config],
        },
        { provide: Logger, useValue: new SilentLogger() },
      ],
    })
    class Root {}
    const app = await Ordo.create(Root);

    await app.start();

    expect({ order: app.startOrder, started }).toEqual({
      order: [['Config'], ['Database']],
      started: ['Config', 'Database:postgres://db'],
    });
    await app.stop();
  });

  it('rejects a factory-provided component in transient scope', async () => {
    @Component()
    class Pool {}
    @Module({ providers: [{ provide: Pool, useFactory: () => new Pool(), scope: 'transient' }] })
    class Root {}

    await expect(Ordo.create(Root)).rejects.toMatchObject({ code: 'ORDO_COMPONENT_NOT_SINGLETON' });
  });

  it('lets an override marked with another role drop the role the base gave that method', async () => {
    const calls: string[] = [];
    @Component()
    class Base {
      @OnStart() run() {
        calls.push('base');
      }
    }
    @Component()
    class Derived extends Base {
      @OnStop() override run() {
        calls.push('derived');
      }
    }
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(Logger).toConstantValue(new SilentLogger());
    container.bind(Derived).toSelf();
    const app = await Ordo.create(container);

    await app.start();
    const afterStart = [...calls];
    await app.stop();

    expect({ afterStart, all: calls }).toEqual({ afterStart: [], all: ['derived'] });
  });

  it('accepts a plain service without hooks bound beside components', async () => {
    @injectable()
    class Plain {
      ping() {
        return 'pong';
      }
    }
    @Component()
    class UsesPlain {
      constructor(readonly plain: Plain) {}
      @HealthCheck() check() {
        return 'up' as const;
      }
    }

    const { app } = await appOf([UsesPlain, Plain]);

    expect(app.startOrder).toEqual([['UsesPlain']]);
  });
});

describe('module providers', () => {
  @injectable()
  class Counter {
    static made = 0;
    constructor() {
      Counter.made++;
    }
  }
  @injectable()
  class TwoCounters {
    constructor(
      readonly first: Counter,
      readonly second: Counter,
    ) {}
  }

  async function countersWith(
    scope: 'singleton' | 'transient' | 'request',
  ): Promise<{ sameWithin: boolean; sameAcross: boolean }> {
    @Module({
      providers: [
        { provide: Counter, useClass: Counter, scope },
        TwoCounters,
        { provide: Logger, useValue: new SilentLogger() },
      ],
    })
    class Root {}
    const app = await Ordo.create(Root);
    const one = app.container.get(TwoCounters);
    const resolvedAgain = app.container.get(Counter);
    return { sameWithin: one.first === one.second, sameAcross: one.first === resolvedAgain };
  }

  it('are one instance per app by default and with scope singleton', async () => {
    await expect(countersWith('singleton')).resolves.toEqual({ sameWithin: true, sameAcross: true });
  });

  it('are a new instance per injection with scope transient', async () => {
    await expect(countersWith('transient')).resolves.toEqual({ sameWithin: false, sameAcross: false });
  });

  it('are one instance per resolution with scope request', async () => {
    await expect(countersWith('request')).resolves.toEqual({ sameWithin: true, sameAcross: false });
  });
});

describe('the Logger', () => {
  it('is a ConsoleLogger unless the container binds one', async () => {
    const app = await Ordo.create(new Container());

    expect(app.get(Logger)).toBeInstanceOf(ConsoleLogger);
  });

  it('can be any object with pino-shaped methods, such as a pino logger', async () => {
    const lines: Array<[string, object, string | undefined]> = [];
    const pinoLike = {
      debug: (fields: object, message?: string) => lines.push(['debug', fields, message]),
      info: (fields: object, message?: string) => lines.push(['info', fields, message]),
      warn: (fields: object, message?: string) => lines.push(['warn', fields, message]),
      error: (fields: object, message?: string) => lines.push(['error', fields, message]),
    };
    @Component()
    class Database {
      @OnStart() start() {}
    }
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(Logger).toConstantValue(pinoLike as Logger);
    container.bind(Database).toSelf();
    const app = await Ordo.create(container);

    await app.start();

    expect(lines).toContainEqual([
      'info',
      { component: 'Database', durationMs: expect.any(Number) },
      'component started',
    ]);
    await app.stop();
  });
});
