import { inject, injectable } from 'inversify';
import { Container } from 'inversify';
import {
  AppStateError,
  Clock,
  Logger,
  Module,
  Ordo,
  OrdoError,
  SilentLogger,
  Task,
  TaskCycleError,
  TaskScope,
  VirtualClock,
  currentTaskScope,
  type App,
} from '../../src/index.js';
import { deferred, outcome, settleMicrotasks, thrown } from '../support/task-helpers.js';

/** Counts calls per method, to see what ran. */
class Calls {
  readonly counts = new Map<string, number>();
  hit(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  of(name: string): number {
    return this.counts.get(name) ?? 0;
  }
}

@injectable()
class Users {
  constructor(@inject(Calls) private readonly calls: Calls) {}
  @Task() async get(id: string) {
    this.calls.hit(`get:${id}`);
    return { id, name: `user ${id}` };
  }
  @Task() async pair(a: number, b: number) {
    this.calls.hit(`pair:${a},${b}`);
    return a + b;
  }
  @Task() async list(items: number[]) {
    this.calls.hit(`list:${items.join(',')}`);
    return items.length;
  }
  @Task() async flaky(id: string) {
    this.calls.hit(`flaky:${id}`);
    throw new Error(`flaky ${id}`);
  }
}

@injectable()
class Posts {
  constructor(
    @inject(Users) private readonly users: Users,
    @inject(Calls) private readonly calls: Calls,
  ) {}
  @Task() async forUser(id: string) {
    this.calls.hit(`posts:${id}`);
    const user = await this.users.get(id);
    return [`${user.name}'s post`];
  }
}

@injectable()
class Profiles {
  constructor(
    @inject(Users) private readonly users: Users,
    @inject(Posts) private readonly posts: Posts,
  ) {}
  async enriched(id: string) {
    const [user, posts] = await Promise.all([this.users.get(id), this.posts.forUser(id)]);
    return { user, posts };
  }
}

@injectable()
class Recursive {
  @Task() async ping(id: string): Promise<string> {
    return this.pong(id);
  }
  @Task() async pong(id: string): Promise<string> {
    return this.ping(id);
  }
}

async function appWith(
  ...types: Array<new (...args: never[]) => unknown>
): Promise<{ app: App; calls: Calls; clock: VirtualClock }> {
  const container = new Container({ defaultScope: 'Singleton' });
  const calls = new Calls();
  const clock = new VirtualClock();
  container.bind(Calls).toConstantValue(calls);
  for (const type of types) container.bind(type).toSelf();
  const app = await Ordo.create(container, {
    overrides: [
      [Clock, clock],
      [Logger, new SilentLogger()],
    ],
  });
  return { app, calls, clock };
}

describe('@Task methods in request scopes', () => {
  it('run once per request scope and arguments, shared across services and methods', async () => {
    const { app, calls } = await appWith(Users, Posts, Profiles);
    const profiles = app.get(Profiles);

    const result = await app.runInScope(async () => {
      await profiles.enriched('1');
      return profiles.enriched('1');
    });

    expect(result).toEqual({ user: { id: '1', name: 'user 1' }, posts: ["user 1's post"] });
    expect([calls.of('get:1'), calls.of('posts:1')]).toEqual([1, 1]);
  });

  it('do not share results between two request scopes', async () => {
    const { app, calls } = await appWith(Users);
    const users = app.get(Users);

    await app.runInScope(() => users.get('1'));
    await app.runInScope(() => users.get('1'));

    expect(calls.of('get:1')).toBe(2);
  });

  it('run without memoization outside any scope', async () => {
    const { app, calls } = await appWith(Users);
    const users = app.get(Users);

    await users.get('1');
    await users.get('1');
    const sums = [await users.pair(1, 2), await users.pair(1, 2)];

    expect(calls.of('get:1')).toBe(2);
    expect(sums).toEqual([3, 3]);
    expect(calls.of('pair:1,2')).toBe(2);
  });

  it('key null, undefined and other primitives by value, and apart from one another', async () => {
    @injectable()
    class Echo {
      runs = 0;
      @Task() async of(value: unknown): Promise<string> {
        this.runs++;
        return `${typeof value}:${String(value)}`;
      }
    }
    const { app } = await appWith(Echo);
    const echo = app.get(Echo);
    const inputs: unknown[] = [null, undefined, 0, '0', false, 0n, null, undefined, 0, '0', false, 0n];

    const results = await app.runInScope(async () => {
      const out: string[] = [];
      for (const input of inputs) out.push(await echo.of(input));
      return out;
    });

    expect(results.slice(6)).toEqual(results.slice(0, 6));
    expect(new Set(results).size).toBe(6);
    expect(echo.runs).toBe(6);
  });

  it('share one run among concurrent callers', async () => {
    const { app, calls } = await appWith(Users);
    const users = app.get(Users);

    const results = await app.runInScope(() => Promise.all([users.get('7'), users.get('7'), users.get('7')]));

    expect(results[0]).toBe(results[2]);
    expect(calls.of('get:7')).toBe(1);
  });

  it('key several arguments together, apart from one array argument', async () => {
    const { app, calls } = await appWith(Users);
    const users = app.get(Users);

    const sums = await app.runInScope(async () => [
      await users.pair(1, 2),
      await users.pair(1, 2),
      await users.pair(2, 1),
      await users.list([1, 2]),
    ]);

    expect(sums).toEqual([3, 3, 3, 2]);
    expect([calls.of('pair:1,2'), calls.of('pair:2,1'), calls.of('list:1,2')]).toEqual([1, 1, 1]);
  });

  it('do not cache failures: the next call runs again', async () => {
    const { app, calls } = await appWith(Users);
    const users = app.get(Users);

    const outcomes = await app.runInScope(() =>
      Promise.allSettled([users.flaky('x')]).then(async (first) => [
        first[0],
        ...(await Promise.allSettled([users.flaky('x')])),
      ]),
    );

    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(calls.of('flaky:x')).toBe(2);
  });

  it('fail with a TaskCycleError naming the path when a method awaits itself through another', async () => {
    const { app } = await appWith(Recursive);
    const recursive = app.get(Recursive);

    const error = await app.runInScope(() => recursive.ping('1')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TaskCycleError);
    expect((error as Error).message).toContain('Recursive.ping("1") -> Recursive.pong("1") -> Recursive.ping("1")');
  });

  it("see their run's own view as the current task scope, whose signal aborts with the run", async () => {
    const seen: TaskScope[] = [];
    const release = deferred<string>();
    @injectable()
    class Reader {
      @Task() async read(_id: string) {
        seen.push(currentTaskScope()!);
        return release.promise;
      }
    }
    const { app } = await appWith(Reader);
    const request = new AbortController();
    const scope = app.scope({ signal: request.signal });

    const reads = scope.run(() => [outcome(app.get(Reader).read('1')), outcome(app.get(Reader).read('2'))]);
    await settleMicrotasks();
    const [one, two] = seen;
    const beforeAbort = [one!.signal.aborted, two!.signal.aborted];
    request.abort(new Error('client went away'));
    await Promise.all(reads);

    expect(one).not.toBe(scope.tasks);
    expect(one!.signal).not.toBe(request.signal);
    expect(one!.signal).not.toBe(two!.signal);
    expect(beforeAbort).toEqual([false, false]);
    expect(one!.signal.reason).toEqual(new Error('client went away'));
  });

  it('refuse new runs once the request signal aborts', async () => {
    const { app, calls } = await appWith(Users);
    const controller = new AbortController();
    const scope = app.scope({ signal: controller.signal });

    controller.abort(new Error('client went away'));

    await expect(scope.run(() => app.get(Users).get('1'))).rejects.toThrow('client went away');
    expect(calls.of('get:1')).toBe(0);
  });
});

describe('the request scope as an injectable', () => {
  it('is injected as TaskScope into services resolved inside the scope', async () => {
    @injectable()
    class Handler {
      constructor(@inject(TaskScope) readonly scope: TaskScope) {}
    }
    const container = new Container();
    container.bind(Handler).toSelf().inTransientScope();
    const app = await Ordo.create(container, { overrides: [[Logger, new SilentLogger()]] });
    const requestScope = app.scope();

    const handler = requestScope.run(() => app.get(Handler));

    expect(handler.scope).toBe(requestScope.tasks);
  });

  it('cannot be injected outside a request scope', async () => {
    @injectable()
    class Handler {
      constructor(@inject(TaskScope) readonly scope: TaskScope) {}
    }
    const container = new Container();
    container.bind(Handler).toSelf().inTransientScope();
    const app = await Ordo.create(container, { overrides: [[Logger, new SilentLogger()]] });

    expect(() => app.get(Handler)).toThrow(/outside a request scope/);
  });

  @injectable()
  class ScopedHandler {
    constructor(@inject(TaskScope) readonly scope: TaskScope) {}
  }

  /** An app whose container binds ScopedHandler in transient scope although singletons are its default. */
  function singletonDefaultApp(): Promise<App> {
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(ScopedHandler).toSelf().inTransientScope();
    return Ordo.create(container, { overrides: [[Logger, new SilentLogger()]] });
  }

  /** Resolves ScopedHandler once in each of two request scopes; returns each scope's TaskScope and what it got. */
  function resolveInTwoScopes(app: App): Array<{ expected: TaskScope; got: TaskScope }> {
    return [app.scope(), app.scope()].map((scope) => ({
      expected: scope.tasks,
      got: scope.run(() => app.get(ScopedHandler)).scope,
    }));
  }

  it('is a fresh resolution per request for a request-scoped provider of a @Module app', async () => {
    @Module({ providers: [{ provide: ScopedHandler, useClass: ScopedHandler, scope: 'request' }] })
    class AppModule {}
    const app = await Ordo.create(AppModule, { overrides: [[Logger, new SilentLogger()]] });

    const resolved = resolveInTwoScopes(app);

    for (const { expected, got } of resolved) expect(got).toBe(expected);
  });

  it('is a fresh resolution per request in a container whose default scope is Singleton', async () => {
    const app = await singletonDefaultApp();

    const resolved = resolveInTwoScopes(app);

    for (const { expected, got } of resolved) expect(got).toBe(expected);
  });

  it('still fails with ORDO_NO_REQUEST_SCOPE outside a scope after a request resolved it', async () => {
    const app = await singletonDefaultApp();
    app.runInScope(() => app.get(ScopedHandler));

    const error = thrown(() => app.get(ScopedHandler));

    expect(error).toBeInstanceOf(OrdoError);
    expect((error as OrdoError).code).toBe('ORDO_NO_REQUEST_SCOPE');
  });
});

describe('@Task({ scope: "app" })', () => {
  @injectable()
  class ConfigClient {
    readonly upstream = deferred<{ flags: string[] }>();
    calls = 0;
    @Task({ scope: 'app', ttl: '5m' }) async fetchConfig() {
      this.calls++;
      return this.upstream.promise;
    }
  }

  it('makes 10,000 concurrent callers across requests cause one upstream call', async () => {
    const { app } = await appWith(ConfigClient);
    const client = app.get(ConfigClient);

    const callers = Array.from({ length: 10_000 }, () => app.runInScope(() => client.fetchConfig()));
    await settleMicrotasks();
    client.upstream.resolve({ flags: ['beta'] });
    const configs = await Promise.all(callers);

    expect(client.calls).toBe(1);
    expect(new Set(configs).size).toBe(1);
  });

  it('memoizes outside any request scope too, and refreshes after its ttl from completion', async () => {
    const { app, clock } = await appWith(ConfigClient);
    const client = app.get(ConfigClient);
    client.upstream.resolve({ flags: [] });

    await client.fetchConfig();
    await clock.advance('4m59s');
    await client.fetchConfig();
    const beforeExpiry = client.calls;
    await clock.advance('1s');
    await client.fetchConfig();

    expect([beforeExpiry, client.calls]).toEqual([1, 2]);
  });

  /** A slow app-wide fetch on the clock that honours its run's signal. */
  @injectable()
  class SlowConfig {
    runs = 0;
    readonly signals: AbortSignal[] = [];
    constructor(@inject(Clock) private readonly clock: Clock) {}
    @Task({ scope: 'app', ttl: '5m' }) async fetch(): Promise<string> {
      const run = ++this.runs;
      const signal = currentTaskScope()!.signal;
      this.signals.push(signal);
      await this.clock.sleep('1s', signal);
      return `config ${run}`;
    }
  }

  it("releases a request's wait when its signal aborts, at once, while the fetch goes on for the others", async () => {
    const { app, clock } = await appWith(SlowConfig);
    const config = app.get(SlowConfig);
    const leaving = new AbortController();
    const startedAt = clock.now();

    const left = app.runInScope(() => outcome(config.fetch()).then((result) => ({ result, at: clock.now() })), {
      signal: leaving.signal,
    });
    const staying = app.runInScope(() => config.fetch());
    await settleMicrotasks();
    leaving.abort(new Error('client went away'));
    await clock.advance('1s');

    await expect(left).resolves.toEqual({
      result: { status: 'rejected', reason: new Error('client went away') },
      at: startedAt,
    });
    await expect(staying).resolves.toBe('config 1');
    expect(config.runs).toBe(1);
  });

  /** One request starts the app-wide fetch and leaves (its signal aborts) while the fetch is in flight. */
  async function abandonFetch(app: App, config: SlowConfig): Promise<void> {
    const leaving = new AbortController();
    const left = app.runInScope(() => outcome(config.fetch()), { signal: leaving.signal });
    await settleMicrotasks();
    leaving.abort(new Error('client went away'));
    await left;
  }

  it('aborts the app-wide fetch when every request waiting for it has left', async () => {
    const { app, clock } = await appWith(SlowConfig);
    const config = app.get(SlowConfig);

    await abandonFetch(app, config);

    expect(config.signals[0]!.reason).toEqual(new Error('client went away'));
    expect(clock.pendingTimers()).toBe(0);
  });

  @injectable()
  class Settings {
    static fetched = 0;
    calls = 0;
    @Task({ scope: 'app', ttl: '5m' }) async current(): Promise<string> {
      this.calls++;
      return `settings ${++Settings.fetched}`;
    }
    @Task({ scope: 'app' }) async of(name: string): Promise<string> {
      this.calls++;
      return `${name} ${++Settings.fetched}`;
    }
  }

  it("keeps each app's results apart when calls alternate between two apps", async () => {
    const first = (await appWith(Settings)).app.get(Settings);
    const second = (await appWith(Settings)).app.get(Settings);
    const seen: string[] = [];

    for (let round = 0; round < 3; round++) {
      for (const settings of [first, second]) seen.push(await settings.current(), await settings.of('theme'));
    }

    expect(new Set(seen.filter((_, index) => index % 4 < 2)).size).toBe(2);
    expect(new Set(seen.filter((_, index) => index % 4 >= 2)).size).toBe(2);
    expect([first.calls, second.calls]).toEqual([2, 2]);
  });

  it("rejects a cached app-wide hit with the request's reason once its signal has aborted", async () => {
    const { app } = await appWith(Settings);
    const settings = app.get(Settings);
    await app.runInScope(() => Promise.all([settings.current(), settings.of('theme')]));
    const request = new AbortController();
    request.abort(new Error('client went away'));

    const results = await app.runInScope(
      () => Promise.all([outcome(settings.current()), outcome(settings.of('theme'))]),
      {
        signal: request.signal,
      },
    );

    expect(results).toEqual([
      { status: 'rejected', reason: new Error('client went away') },
      { status: 'rejected', reason: new Error('client went away') },
    ]);
    expect(settings.calls).toBe(2);
  });

  it('shares one refresh among concurrent callers once an expired result took its table with it', async () => {
    @injectable()
    class Feed {
      runs = 0;
      @Task({ scope: 'app', ttl: '1m' }) async latest(): Promise<number> {
        return ++this.runs;
      }
      @Task({ scope: 'app', ttl: '1m' }) async item(id: number): Promise<string> {
        return `item ${id} run ${++this.runs}`;
      }
    }
    const { app, clock } = await appWith(Feed);
    const feed = app.get(Feed);
    await Promise.all([feed.latest(), feed.item(1)]);
    await clock.advance('1m');

    const refreshed = await Promise.all([feed.latest(), feed.latest(), feed.item(1), feed.item(1)]);
    const again = await Promise.all([feed.latest(), feed.item(1)]);

    expect(refreshed).toEqual([3, 3, 'item 1 run 4', 'item 1 run 4']);
    expect(again).toEqual([3, 'item 1 run 4']);
    expect(feed.runs).toBe(4);
    expect(app.appTasks.stats.tables).toBe(2);
  });

  it('refuses a cached app-wide result once the app has stopped, with ORDO_STOPPED', async () => {
    const { app } = await appWith(Settings);
    const settings = app.get(Settings);
    await app.start();
    await Promise.all([settings.current(), settings.of('theme')]);

    await app.stop();
    const results = [await outcome(settings.current()), await outcome(settings.of('theme'))];

    for (const result of results) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(AppStateError);
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        code: 'ORDO_STOPPED',
        message: 'the app stopped',
      });
    }
    expect(settings.calls).toBe(2);
  });

  it('refuses it inside a request scope opened after the stop too, and drops what it had kept', async () => {
    const { app } = await appWith(Settings);
    const settings = app.get(Settings);
    await app.start();
    await settings.current();

    await app.stop();
    const result = await app.runInScope(() => outcome(settings.current()));

    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'ORDO_STOPPED' } });
    expect(app.appTasks.size).toBe(0);
  });

  it('starts the app-wide fetch afresh for the next request once an abandoned one was aborted', async () => {
    const { app, clock } = await appWith(SlowConfig);
    const config = app.get(SlowConfig);
    await abandonFetch(app, config);

    const next = app.runInScope(() => config.fetch());
    await clock.advance('1s');

    await expect(next).resolves.toBe('config 2');
  });
});
