import { Container, inject, injectable } from 'inversify';
import {
  App,
  Clock,
  Logger,
  SilentLogger,
  Component,
  HealthCheck,
  Module,
  OnStart,
  OnStop,
  Ordo,
  SystemClock,
  VirtualClock,
} from '../../src/index.js';
import { Journal, appOf, testContainer } from '../support/app-fixtures.js';

describe('discovery', () => {
  it('finds every component bound in a container the user filled, without listing them again', async () => {
    @Component()
    class Alpha {}
    @Component()
    class Beta {}
    const container = testContainer();
    container.bind(Alpha).toSelf();
    container.bind(Beta).toSelf();

    const app = await Ordo.create(container);

    expect(app.startOrder.flat().sort()).toEqual(['Alpha', 'Beta']);
  });

  it('finds a component bound under a token other than its class', async () => {
    @Component()
    class PgDatabase {}
    const DATABASE = Symbol('Database');
    const container = testContainer();
    container.bind(DATABASE).to(PgDatabase);

    const app = await Ordo.create(container);

    expect(app.startOrder).toEqual([['PgDatabase']]);
  });

  it('binds the components and providers of a module and every module it imports', async () => {
    const journal = new Journal();
    const CONFIG = Symbol('Config');
    @injectable()
    class Settings {
      constructor(@inject(CONFIG) readonly config: { url: string }) {}
    }
    @Component()
    class Database {
      constructor(
        private readonly settings: Settings,
        private readonly j: Journal,
      ) {}
      @OnStart() open() {
        this.j.record(`open:${this.settings.config.url}`);
      }
    }
    @Module({
      components: [Database],
      providers: [Settings, { provide: CONFIG, useValue: { url: 'pg://db' } }, { provide: Journal, useValue: journal }],
    })
    class DatabaseModule {}
    @Module({ imports: [DatabaseModule] })
    class AppModule {}

    const app = await Ordo.create(AppModule, {
      overrides: [
        [Clock, new VirtualClock()],
        [Logger, new SilentLogger()],
      ],
    });
    await app.start();

    expect(journal.entries).toEqual(['open:pg://db']);
  });

  it('binds factory and class providers and sees the components a factory injects', async () => {
    const journal = new Journal();
    const POOL = Symbol('Pool');
    @Component()
    class Database {
      constructor(private readonly j: Journal) {}
      @OnStart() open() {
        this.j.record('start:Database');
      }
    }
    abstract class Repository {}
    @injectable()
    class SqlRepository extends Repository {
      constructor(@inject(POOL) readonly pool: Database) {
        super();
      }
    }
    @Component()
    class Api {
      constructor(
        readonly repository: Repository,
        private readonly j: Journal,
      ) {}
      @OnStart() listen() {
        this.j.record('start:Api');
      }
    }
    @Module({
      components: [Database, Api],
      providers: [
        { provide: Journal, useValue: journal },
        { provide: POOL, useFactory: (db: Database) => db, inject: [Database] },
        { provide: Repository, useClass: SqlRepository },
      ],
    })
    class AppModule {}

    const app = await Ordo.create(AppModule, {
      overrides: [
        [Clock, new VirtualClock()],
        [Logger, new SilentLogger()],
      ],
    });
    await app.start();

    expect(app.startOrder).toEqual([['Database'], ['Api']]);
    expect(journal.entries).toEqual(['start:Database', 'start:Api']);
  });

  it('binds a module imported twice only once', async () => {
    @Component()
    class Shared {}
    @Module({ components: [Shared] })
    class SharedModule {}
    @Module({ imports: [SharedModule] })
    class Left {}
    @Module({ imports: [SharedModule] })
    class Right {}
    @Module({ imports: [Left, Right, SharedModule] })
    class AppModule {}

    const app = await Ordo.create(AppModule, { overrides: [[Logger, new SilentLogger()]] });

    expect(app.startOrder).toEqual([['Shared']]);
  });

  it('rejects modules that import each other, naming the cycle', async () => {
    @Module({ imports: [] })
    class First {}
    @Module({ imports: [First] })
    class Second {}
    Module({ imports: [Second] })(First);

    await expect(Ordo.create(First)).rejects.toThrow('Modules import each other in a cycle: First -> Second -> First');
  });

  it('rejects an import that is not a module, naming the importer', async () => {
    class Plain {}
    @Module({ imports: [Plain] })
    class AppModule {}

    await expect(Ordo.create(AppModule)).rejects.toMatchObject({
      code: 'ORDO_NOT_A_MODULE',
      message: expect.stringContaining('AppModule imports Plain'),
    });
  });

  it('binds Clock to the system clock unless the container binds it', async () => {
    const app = await Ordo.create(testContainer());

    expect(app.get(Clock)).toBeInstanceOf(SystemClock);
  });

  it('replaces bindings given as overrides before anything resolves', async () => {
    const clock = new VirtualClock();
    const container = testContainer();
    container.bind(Clock).toConstantValue(new SystemClock());

    const app = await Ordo.create(container, { overrides: [[Clock, clock]] });

    expect(app.get(Clock)).toBe(clock);
  });
});

describe('decorator metadata', () => {
  it('rejects two @OnStart methods on one class, naming both', async () => {
    @Component()
    class Twice {
      @OnStart() first() {}
      @OnStart() second() {}
    }

    await expect(appOf([Twice])).rejects.toMatchObject({
      code: 'ORDO_DUPLICATE_HOOK',
      message: 'Twice.second and Twice.first are both @OnStart(); a class has at most one',
    });
  });

  it('rejects a hook decorator on something that is not a method, naming it', async () => {
    @Component()
    class Odd {}
    // Only a cast gets past the decorator's type; plain JavaScript needs none.
    OnStop()(Odd.prototype, 'handler', { value: 42 } as never);

    await expect(appOf([Odd])).rejects.toMatchObject({
      code: 'ORDO_HOOK_NOT_A_METHOD',
      message: expect.stringContaining('Odd.handler'),
    });
  });

  it('rejects two components with the same name', async () => {
    @Component({ name: 'cache' })
    class RedisCache {}
    @Component({ name: 'cache' })
    class MemoryCache {}

    await expect(appOf([RedisCache, MemoryCache])).rejects.toThrow(
      'Two components are named "cache": RedisCache and MemoryCache',
    );
  });

  it('rejects dependsOn naming something that is not bound', async () => {
    @Component({ dependsOn: ['queue'] })
    class Worker {}

    await expect(appOf([Worker])).rejects.toMatchObject({
      code: 'ORDO_UNKNOWN_DEPENDENCY',
      message: expect.stringContaining('Component "Worker" dependsOn "queue"'),
    });
  });

  it('rejects a component whose dependency is not bound, naming both', async () => {
    @injectable()
    class Mailer {}
    @Component()
    class Signup {
      constructor(readonly mailer: Mailer) {}
    }

    await expect(appOf([Signup])).rejects.toMatchObject({
      code: 'ORDO_UNBOUND_DEPENDENCY',
      message:
        'Component "Signup" needs Mailer (constructor argument 0 of Signup), which is not bound in the container',
    });
  });

  it('rejects a component bound in transient scope', async () => {
    @Component()
    class Transient {}
    const container = new Container();
    container.bind(Transient).toSelf();

    await expect(Ordo.create(container)).rejects.toMatchObject({
      code: 'ORDO_COMPONENT_NOT_SINGLETON',
      message: expect.stringContaining('Transient'),
    });
  });

  it('still finds a hook whose method another decorator wrapped', async () => {
    const wrap: MethodDecorator = (_target, _key, descriptor) => {
      const original = descriptor.value as unknown as (...args: unknown[]) => unknown;
      return {
        ...descriptor,
        value: function (this: unknown, ...args: unknown[]) {
          return original.apply(this, args);
        },
      } as never;
    };
    @Component()
    class Wrapped {
      constructor(private readonly j: Journal) {}
      @wrap @OnStart() @wrap begin() {
        this.j.record('begin');
      }
    }
    const { app, journal } = await appOf([Wrapped]);

    await app.start();

    expect(journal.entries).toEqual(['begin']);
  });

  it('gives a subclass the hooks of its base class', async () => {
    @Component()
    class Base {
      constructor(protected readonly j: Journal) {}
      @OnStart() begin() {
        this.j.record(`begin:${this.constructor.name}`);
      }
      @OnStop() end() {
        this.j.record('end');
      }
    }
    @Component()
    class Derived extends Base {}
    const { app, journal } = await appOf([Derived]);

    await app.start();
    await app.stop();

    expect(journal.entries).toEqual(['begin:Derived', 'end']);
  });

  it('lets a subclass replace the role of a base method with its own hook', async () => {
    @Component()
    class Base {
      constructor(protected readonly j: Journal) {}
      @OnStart() baseStart() {
        this.j.record('base');
      }
    }
    @Component()
    class Derived extends Base {
      @OnStart() ownStart() {
        this.j.record('derived');
      }
    }
    const { app, journal } = await appOf([Derived]);

    await app.start();

    expect(journal.entries).toEqual(['derived']);
  });

  it('calls the override when a subclass overrides a hooked method', async () => {
    @Component()
    class Base {
      constructor(protected readonly j: Journal) {}
      @OnStart() begin() {
        this.j.record('base');
      }
    }
    @Component()
    class Derived extends Base {
      override begin() {
        this.j.record('override');
      }
    }
    const { app, journal } = await appOf([Derived]);

    await app.start();

    expect(journal.entries).toEqual(['override']);
  });

  it('injects the constructor dependencies of a base component into its subclass', async () => {
    @injectable()
    class Pool {}
    @Component()
    class Base {
      constructor(readonly pool: Pool) {}
    }
    @Component()
    class Derived extends Base {}
    const { app } = await appOf([Derived, Pool]);

    await app.start();

    expect(app.get(Derived).pool).toBeInstanceOf(Pool);
  });

  it('records a health check with its options', async () => {
    @Component()
    class Probe {
      @HealthCheck({ timeout: '1s' }) check() {
        return 'up' as const;
      }
    }
    const { app } = await appOf([Probe]);
    await app.start();

    await expect(app.health()).resolves.toMatchObject({ status: 'up', checks: { Probe: { status: 'up' } } });
  });
});

describe('what Ordo.create binds', () => {
  it('binds the App so components can inject it', async () => {
    @Component()
    class NeedsApp {
      constructor(@inject(App) readonly app: App) {}
    }
    const { app } = await appOf([NeedsApp]);

    await app.start();

    expect(app.get(NeedsApp).app).toBe(app);
  });
});
