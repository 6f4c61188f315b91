import { Container, injectable } from 'inversify';
import {
  Clock,
  ConfigurationError,
  InvalidDurationError,
  Logger,
  Ordo,
  SilentLogger,
  Task,
  TaskKeyError,
  TaskMethodError,
  TaskOptionError,
  VirtualClock,
  type App,
} from '../../src/index.js';
import { outcome, thrown } from '../support/task-helpers.js';

async function appWith(...types: Array<new (...args: never[]) => unknown>): Promise<{ app: App; clock: VirtualClock }> {
  const container = new Container({ defaultScope: 'Singleton' });
  const clock = new VirtualClock();
  for (const type of types) container.bind(type).toSelf();
  const app = await Ordo.create(container, {
    overrides: [
      [Clock, clock],
      [Logger, new SilentLogger()],
    ],
  });
  return { app, clock };
}

interface Profile {
  readonly id: string;
  readonly requestedAt: number;
}

@injectable()
class Profiles {
  runs = 0;
  @Task({ key: (profile: Profile) => profile.id }) async load(profile: Profile) {
    this.runs++;
    return `profile ${profile.id}`;
  }
}

@injectable()
class Flaky {
  runs = 0;
  @Task({ cacheErrors: true }) async fetch(id: string): Promise<string> {
    this.runs++;
    throw new Error(`upstream down for ${id}`);
  }
}

@injectable()
class Rates {
  runs = 0;
  @Task({ ttl: '1s' }) async rate(currency: string) {
    this.runs++;
    return `${currency} rate ${this.runs}`;
  }
}

@injectable()
class Sessions {
  runs = 0;
  @Task({ scope: 'request' }) async current(id: string) {
    this.runs++;
    return `session ${id}`;
  }
}

@injectable()
class Search {
  @Task() async find(page: number, _filter: { test: (text: string) => boolean }) {
    return `page ${page}`;
  }
  @Task() async apply(fn: () => string) {
    return fn();
  }
}

describe('@Task() options', () => {
  it('shares one run among calls whose key function gives the same key', async () => {
    const { app } = await appWith(Profiles);
    const profiles = app.get(Profiles);

    const loaded = await app.runInScope(() =>
      Promise.all([profiles.load({ id: '1', requestedAt: 1 }), profiles.load({ id: '1', requestedAt: 2 })]),
    );

    expect(loaded).toEqual(['profile 1', 'profile 1']);
    expect(profiles.runs).toBe(1);
  });

  it('keeps a failure for the rest of the request with cacheErrors: true', async () => {
    const { app } = await appWith(Flaky);
    const flaky = app.get(Flaky);

    const [first, second] = await app.runInScope(async () => [
      await outcome(flaky.fetch('x')),
      await outcome(flaky.fetch('x')),
    ]);

    expect(first!.status).toBe('rejected');
    expect((second as PromiseRejectedResult).reason).toBe((first as PromiseRejectedResult).reason);
    expect(flaky.runs).toBe(1);
  });

  it('expires a result its ttl after completion within one request scope, on the app clock', async () => {
    const { app, clock } = await appWith(Rates);
    const rates = app.get(Rates);
    const scope = app.scope();
    await scope.run(() => rates.rate('EUR'));

    await clock.advance(999);
    const justBefore = await scope.run(() => rates.rate('EUR'));
    await clock.advance(1);
    const atTtl = await scope.run(() => rates.rate('EUR'));

    expect([justBefore, atTtl]).toEqual(['EUR rate 1', 'EUR rate 2']);
  });

  it("with scope: 'request' shares a run within a request scope and not across them", async () => {
    const { app } = await appWith(Sessions);
    const sessions = app.get(Sessions);

    await app.runInScope(() => Promise.all([sessions.current('a'), sessions.current('a')]));
    await app.runInScope(() => sessions.current('a'));

    expect(sessions.runs).toBe(2);
  });
});

describe('@Task() misuse', () => {
  it('refuses an unknown scope with a configuration error naming Class.method', () => {
    const error = thrown(() => {
      class Reports {
        @Task({ scope: 'global' as 'app' }) async daily() {
          return 1;
        }
      }
      return Reports;
    });

    expect(error).toBeInstanceOf(TaskOptionError);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as TaskOptionError).code).toBe('ORDO_TASK_OPTION');
    expect((error as Error).message).toBe(`@Task() on Reports.daily: scope must be 'request' or 'app', got "global"`);
  });

  it('refuses to decorate an accessor, naming Class.member', () => {
    const error = thrown(() => {
      class Settings {
        // @ts-expect-error a getter holds no method: the decorator's type refuses it too
        @Task() get theme(): Promise<string> {
          return Promise.resolve('dark');
        }
      }
      return Settings;
    });

    expect(error).toBeInstanceOf(TaskOptionError);
    expect((error as TaskOptionError).code).toBe('ORDO_TASK_OPTION');
    expect((error as Error).message).toBe('@Task() on Settings.theme: it is not a method');
  });

  it('refuses an invalid ttl naming Class.method, the InvalidDurationError as cause', () => {
    const error = thrown(() => {
      class Quotes {
        @Task({ ttl: '5 minutes' }) async latest() {
          return 1;
        }
      }
      return Quotes;
    });

    expect(error).toBeInstanceOf(TaskOptionError);
    expect((error as Error).message).toMatch(
      /^Invalid ttl for @Task\(\) on Quotes\.latest: Invalid duration "5 minutes"/,
    );
    expect((error as Error).cause).toBeInstanceOf(InvalidDurationError);
  });

  it('refuses a key option that is not a function, naming Class.method', () => {
    const error = thrown(() => {
      class Orders {
        @Task({ key: 'id' as unknown as () => string }) async get(_id: string) {
          return 1;
        }
      }
      return Orders;
    });

    expect((error as TaskOptionError).code).toBe('ORDO_TASK_OPTION');
    expect((error as Error).message).toContain('@Task() on Orders.get: key must be a function');
  });
});

describe('@Task() on what is not an async method', () => {
  /** Methods that return no promise, declared past the decorator's type, as plain JavaScript could. */
  @injectable()
  class Legacy {
    runs = 0;
    // @ts-expect-error a method that returns a value rather than a promise is refused by the decorator's type
    @Task() total(a: number): number {
      this.runs++;
      return a * 2;
    }
    // @ts-expect-error as is one that returns nothing
    @Task({ scope: 'app' }) reset(): void {
      this.runs++;
    }
    @Task() thenable(id: number): Promise<number> {
      return { then: (resolve: (value: number) => void) => resolve(id) } as Promise<number>;
    }
    @Task() throwsAtOnce(id: number): Promise<number> {
      if (id < 0) throw new RangeError(`negative id ${id}`);
      return Promise.resolve(id);
    }
  }

  it('rejects the call of a method that returned a value inside a scope, naming Class.method', async () => {
    const { app } = await appWith(Legacy);

    const result = await app.runInScope(() => outcome(app.get(Legacy).total(2) as unknown as Promise<number>));

    const error = (result as PromiseRejectedResult).reason as TaskMethodError;
    expect(error).toBeInstanceOf(TaskMethodError);
    expect(error.code).toBe('ORDO_TASK_NOT_ASYNC');
    expect(error.method).toBe('Legacy.total');
    expect(error.message).toBe(
      '@Task() method Legacy.total returned a number, not a promise. ' +
        "A task's result is shared as a promise: declare the method async, or return a Promise.",
    );
  });

  it('rejects it the same way outside any scope, after running it', async () => {
    const { app } = await appWith(Legacy);
    const legacy = app.get(Legacy);

    const result = legacy.total(2) as unknown;

    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toMatchObject({ code: 'ORDO_TASK_NOT_ASYNC', method: 'Legacy.total' });
    expect(legacy.runs).toBe(1);
  });

  it('gives every caller sharing the run the same rejection, and caches nothing', async () => {
    const { app } = await appWith(Legacy);
    const legacy = app.get(Legacy);

    const results = await app.runInScope(async () => {
      const shared = await Promise.all([
        outcome(legacy.total(2) as unknown as Promise<number>),
        outcome(legacy.total(2) as unknown as Promise<number>),
      ]);
      return [...shared, await outcome(legacy.total(2) as unknown as Promise<number>)];
    });

    expect(results.map((result) => (result as PromiseRejectedResult).reason.code)).toEqual([
      'ORDO_TASK_NOT_ASYNC',
      'ORDO_TASK_NOT_ASYNC',
      'ORDO_TASK_NOT_ASYNC',
    ]);
    expect(legacy.runs).toBe(2);
  });

  it('rejects an app-wide method that returned undefined, naming Class.method', async () => {
    const { app } = await appWith(Legacy);

    await expect(app.get(Legacy).reset() as unknown as Promise<void>).rejects.toThrow(
      '@Task() method Legacy.reset returned undefined, not a promise.',
    );
  });

  it('adopts a thenable outside a scope as a promise', async () => {
    const { app } = await appWith(Legacy);

    const result = app.get(Legacy).thenable(7);

    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe(7);
  });

  it('turns a synchronous throw outside a scope into a rejection, as inside one', async () => {
    const { app } = await appWith(Legacy);
    const legacy = app.get(Legacy);

    const outside = outcome(legacy.throwsAtOnce(-1));
    const inside = app.runInScope(() => outcome(legacy.throwsAtOnce(-1)));

    expect(await outside).toEqual({ status: 'rejected', reason: new RangeError('negative id -1') });
    expect(await inside).toEqual(await outside);
  });

  it('refuses a static method at decoration, naming the class', () => {
    const error = thrown(() => {
      class Reports {
        @Task() static async daily() {
          return 1;
        }
      }
      return Reports;
    });

    expect(error).toBeInstanceOf(TaskOptionError);
    expect((error as Error).message).toBe('@Task() on static Reports.daily: @Task() memoizes instance methods');
  });

  it('refuses a field holding a function at decoration, naming Class.field', () => {
    const error = thrown(() => {
      class Loader {
        // @ts-expect-error a field has no descriptor: the decorator's type refuses it
        @Task() load = async () => 1;
      }
      return Loader;
    });

    expect(error).toBeInstanceOf(TaskOptionError);
    expect((error as Error).message).toBe('@Task() on Loader.load: it is not a method');
  });
});

describe('@Task() arguments that cannot be keyed', () => {
  it('name the argument by position and suggest the decorator key option', async () => {
    const { app } = await appWith(Search);

    const result = await app.runInScope(() => outcome(app.get(Search).find(2, { test: () => true })));

    const error = (result as PromiseRejectedResult).reason as TaskKeyError;
    expect(error).toBeInstanceOf(TaskKeyError);
    expect(error.message).toBe(
      'Cannot key the arguments of Search.find: it contains a function at argument 1.test. ' +
        'Pass a key function that makes a string of the arguments, e.g. @Task({ key: (...args) => ... }).',
    );
  });

  it("call a lone argument 'argument 0'", async () => {
    const { app } = await appWith(Search);

    const result = await app.runInScope(() => outcome(app.get(Search).apply(() => 'x')));

    expect(((result as PromiseRejectedResult).reason as Error).message).toContain(
      'Cannot key the arguments of Search.apply: argument 0 is a function.',
    );
  });
});
