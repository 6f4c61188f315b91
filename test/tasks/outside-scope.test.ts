import { Container, inject, injectable } from 'inversify';
import {
  Clock,
  Component,
  ConfigurationError,
  Logger,
  OnStart,
  Ordo,
  SilentLogger,
  StartupError,
  Task,
  TaskMethodError,
  TaskOptionError,
  VirtualClock,
  type App,
  type CreateOptions,
} from '../../src/index.js';
import { outcome } from '../support/task-helpers.js';

/** Counts the queries that actually reached the database. */
class Database {
  queries = 0;
}

@injectable()
class Users {
  constructor(@inject(Database) private readonly db: Database) {}
  @Task() async get(id: string) {
    this.db.queries++;
    return { id };
  }
  @Task({ scope: 'app' }) async settings() {
    this.db.queries++;
    return { theme: 'dark' };
  }
}

async function appWith(
  types: Array<new (...args: never[]) => unknown>,
  options: CreateOptions = {},
): Promise<{ app: App; db: Database }> {
  const container = new Container({ defaultScope: 'Singleton' });
  const db = new Database();
  container.bind(Database).toConstantValue(db);
  for (const type of types) container.bind(type).toSelf();
  const app = await Ordo.create(container, {
    ...options,
    overrides: [
      [Clock, new VirtualClock()],
      [Logger, new SilentLogger()],
    ],
  });
  return { app, db };
}

const strict: CreateOptions = { tasks: { outsideScope: 'error' } };

describe('@Task methods called outside any request scope', () => {
  it('run unmemoized by default: a warm-up in @OnStart queries every time', async () => {
    @Component()
    class WarmUp {
      constructor(@inject(Users) private readonly users: Users) {}
      @OnStart() async start() {
        for (let i = 0; i < 3; i++) await this.users.get('admin');
      }
    }
    const { app, db } = await appWith([WarmUp, Users]);

    await app.start();

    expect(db.queries).toBe(3);
  });

  it("reject with ORDO_TASK_OUTSIDE_SCOPE naming Class.method when the app says outsideScope: 'error'", async () => {
    const { app, db } = await appWith([Users], strict);

    const result = await outcome(app.get(Users).get('1'));

    const error = (result as PromiseRejectedResult).reason as TaskMethodError;
    expect(error).toBeInstanceOf(TaskMethodError);
    expect(error.code).toBe('ORDO_TASK_OUTSIDE_SCOPE');
    expect(error.method).toBe('Users.get');
    expect(error.message).toContain('@Task() method Users.get was called outside any request scope');
    expect(db.queries).toBe(0);
  });

  it('still memoize inside a request scope in a strict app', async () => {
    const { app, db } = await appWith([Users], strict);
    const users = app.get(Users);

    await app.runInScope(() => Promise.all([users.get('1'), users.get('1')]));

    expect(db.queries).toBe(1);
  });

  it('leave app-wide methods memoizing outside request scopes in a strict app', async () => {
    const { app, db } = await appWith([Users], strict);
    const users = app.get(Users);

    await users.settings();
    await users.settings();

    expect(db.queries).toBe(1);
  });

  it("fail a strict app's start when @OnStart warms a request-scoped task up, naming the method", async () => {
    @Component()
    class WarmUp {
      constructor(@inject(Users) private readonly users: Users) {}
      @OnStart() async start() {
        await this.users.get('admin');
      }
    }
    const { app } = await appWith([WarmUp, Users], strict);

    const error = await app.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).cause).toMatchObject({ code: 'ORDO_TASK_OUTSIDE_SCOPE', method: 'Users.get' });
  });

  it('are refused per app: an app without the option runs the same class unmemoized', async () => {
    const strictApp = await appWith([Users], strict);
    const lenient = await appWith([Users]);

    const results = [await outcome(strictApp.app.get(Users).get('1')), await outcome(lenient.app.get(Users).get('1'))];

    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
  });

  it('make Ordo.create() refuse an unknown outsideScope policy, naming the option', async () => {
    const result = await outcome(appWith([Users], { tasks: { outsideScope: 'strict' as 'error' } }));

    const error = (result as PromiseRejectedResult).reason as TaskOptionError;
    expect(error).toBeInstanceOf(TaskOptionError);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe(`Ordo.create(): tasks.outsideScope must be 'run' or 'error', got "strict"`);
  });
});
