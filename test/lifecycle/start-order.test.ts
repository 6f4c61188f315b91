import { inject, injectable } from 'inversify';
import { Component, OnStart, OnStop, Ordo, StartupError } from '../../src/index.js';
import { Journal, appOf, deferred, testContainer } from '../support/app-fixtures.js';

describe('start order', () => {
  it('starts a component after a component it injects through its constructor', async () => {
    @Component()
    class Database {
      constructor(private readonly j: Journal) {}
      @OnStart() start() {
        this.j.record('Database');
      }
    }
    @Component()
    class Api {
      constructor(
        readonly db: Database,
        private readonly j: Journal,
      ) {}
      @OnStart() start() {
        this.j.record('Api');
      }
    }
    const { app, journal } = await appOf([Api, Database]);

    await app.start();

    expect(journal.entries).toEqual(['Database', 'Api']);
  });

  it('starts a component after a component reached through a plain service', async () => {
    @Component()
    class Database {
      constructor(private readonly j: Journal) {}
      @OnStart() start() {
        this.j.record('Database');
      }
    }
    @injectable()
    class UserRepository {
      constructor(readonly db: Database) {}
    }
    @Component()
    class Api {
      constructor(
        readonly users: UserRepository,
        private readonly j: Journal,
      ) {}
      @OnStart() start() {
        this.j.record('Api');
      }
    }
    const { app, journal } = await appOf([Api, UserRepository, Database]);

    await app.start();

    expect(journal.entries).toEqual(['Database', 'Api']);
  });

  it('starts a component after a component it receives by property injection', async () => {
    @Component()
    class Cache {
      constructor(private readonly j: Journal) {}
      @OnStart() start() {
        this.j.record('Cache');
      }
    }
    @Component()
    class Api {
      @inject(Cache) cache!: Cache;
      @inject(Journal) j!: Journal;
      @OnStart() start() {
        this.j.record('Api');
      }
    }
    const { app, journal } = await appOf([Api, Cache]);

    await app.start();

    expect(journal.entries).toEqual(['Cache', 'Api']);
  });

  it('starts a component after those named in dependsOn', async () => {
    @Component({ name: 'migrations' })
    class Migrations {
      constructor(private readonly j: Journal) {}
      @OnStart() start() {
        this.j.record('migrations');
      }
    }
    @Component({ dependsOn: ['migrations'] })
    class Worker {
      constructor(private readonly j: Journal) {}
      @OnStart() start() {
        this.j.record('Worker');
      }
    }
    const { app, journal } = await appOf([Worker, Migrations]);

    await app.start();

    expect(journal.entries).toEqual(['migrations', 'Worker']);
  });

  it('starts components with no path between them concurrently', async () => {
    const gate = deferred();
    @Component()
    class Left {
      constructor(private readonly j: Journal) {}
      @OnStart() async start() {
        this.j.record('Left:begin');
        await gate.promise;
      }
    }
    @Component()
    class Right {
      constructor(private readonly j: Journal) {}
      @OnStart() async start() {
        this.j.record('Right:begin');
        await gate.promise;
      }
    }
    const { app, journal } = await appOf([Left, Right]);

    const started = app.start();
    await new Promise((resolve) => setImmediate(resolve));
    const beganBeforeEitherEnded = [...journal.entries];
    gate.resolve();
    await started;

    expect(beganBeforeEitherEnded.sort()).toEqual(['Left:begin', 'Right:begin']);
    expect(app.startOrder).toEqual([['Left', 'Right']]);
  });

  it('groups a diamond in three waves', async () => {
    @Component()
    class Config {}
    @Component()
    class Database {
      constructor(readonly c: Config) {}
    }
    @Component()
    class Cache {
      constructor(readonly c: Config) {}
    }
    @Component()
    class Api {
      constructor(
        readonly d: Database,
        readonly c: Cache,
      ) {}
    }
    const { app } = await appOf([Api, Cache, Database, Config]);

    expect(app.startOrder.map((wave) => wave.sort())).toEqual([['Config'], ['Cache', 'Database'], ['Api']]);
  });

  it('rejects a cycle among components before anything starts, naming it', async () => {
    @Component({ name: 'A', dependsOn: ['B'] })
    class A {
      constructor(private readonly j: Journal) {}
      @OnStart() start() {
        this.j.record('A');
      }
    }
    @Component({ name: 'B', dependsOn: ['A'] })
    class B {}

    await expect(appOf([A, B])).rejects.toMatchObject({
      code: 'ORDO_DEPENDENCY_CYCLE',
      message: 'Components depend on each other in a cycle: A -> B -> A',
    });
  });

  it('names a cycle that passes through a plain service', async () => {
    @injectable()
    class Middle {
      constructor(@inject('back') readonly back: unknown) {}
    }
    @Component({ name: 'Front' })
    class Front {
      constructor(readonly middle: Middle) {}
    }
    @Component({ name: 'Back', dependsOn: ['Front'] })
    class Back {}
    const container = testContainer();
    container.bind(Front).toSelf();
    container.bind(Middle).toSelf();
    container.bind('back').to(Back);

    await expect(Ordo.create(container)).rejects.toThrow(
      'Components depend on each other in a cycle: Front -> Back -> Front',
    );
  });

  it('stops components in reverse start order', async () => {
    @Component()
    class Database {
      constructor(private readonly j: Journal) {}
      @OnStart() start() {
        this.j.record('start:Database');
      }
      @OnStop() stop() {
        this.j.record('stop:Database');
      }
    }
    @Component()
    class Api {
      constructor(
        readonly db: Database,
        private readonly j: Journal,
      ) {}
      @OnStart() start() {
        this.j.record('start:Api');
      }
      @OnStop() stop() {
        this.j.record('stop:Api');
      }
    }
    const { app, journal } = await appOf([Api, Database]);

    await app.start();
    await app.stop();

    expect(journal.entries).toEqual(['start:Database', 'start:Api', 'stop:Api', 'stop:Database']);
  });

  it('refuses to start twice', async () => {
    const { app } = await appOf([]);
    await app.start();

    await expect(app.start()).rejects.toMatchObject({ code: 'ORDO_INVALID_STATE' });
  });

  it('reports a component that cannot be created as a startup error naming it', async () => {
    @Component()
    class Broken {
      constructor() {
        throw new Error('no config');
      }
    }
    const { app } = await appOf([Broken]);

    const error = await app.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StartupError);
    expect(error).toMatchObject({
      code: 'ORDO_RESOLVE_FAILED',
      component: 'Broken',
      message: 'Component "Broken" could not be created: no config',
    });
  });
});
