import { Container } from 'inversify';
import { createServer } from 'node:net';
import {
  AppStateError,
  Clock,
  Component,
  HealthCheck,
  HookTimeoutError,
  Logger,
  OnStart,
  OnStop,
  Ordo,
  SilentLogger,
  StartupError,
  type AppExtension,
} from '../../src/index.js';
import { Journal, appOf, settleWith } from '../support/app-fixtures.js';

@Component()
class Failing {
  @OnStart() start() {
    throw new Error('boom');
  }
}

describe('what a failed start leaves behind', () => {
  it('removes its signal listeners', async () => {
    const { app } = await appOf([Failing]);
    const before = process.listenerCount('SIGTERM');
    app.enableShutdownHooks(['SIGTERM'], { exit: () => undefined });

    await app.start().catch(() => undefined);

    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('closes its health servers', async () => {
    const { app } = await appOf([Failing]);
    const server = await app.listenHealth({ port: 0 });

    await app.start().catch(() => undefined);

    await expect(fetch(`${server.url}/livez`)).rejects.toThrow();
  });

  it('refuses a health server afterwards, which would outlive the app', async () => {
    const { app } = await appOf([Failing]);
    await app.start().catch(() => undefined);

    await expect(app.listenHealth({ port: 0 })).rejects.toMatchObject({ code: 'ORDO_INVALID_STATE' });
  });
});

describe('a rollback', () => {
  it('stops only the extensions whose start completed, in reverse', async () => {
    const journal = new Journal();
    const extension = (name: string, fail = false): AppExtension => ({
      name,
      start: () => {
        journal.record(`start:${name}`);
        if (fail) throw new Error(`${name} broke`);
      },
      stop: () => journal.record(`stop:${name}`),
    });
    const { app } = await appOf([], { extensions: [extension('a'), extension('b', true), extension('c')], journal });

    await app.start().catch(() => undefined);

    expect(journal.entries).toEqual(['start:a', 'start:b', 'stop:a']);
  });

  it('stops no extension when a component failed, since none started', async () => {
    const journal = new Journal();
    const scheduler: AppExtension = { name: 'scheduler', stop: () => journal.record('stop:scheduler') };
    const { app } = await appOf([Failing], { extensions: [scheduler], journal });

    await app.start().catch(() => undefined);

    expect(journal.entries).toEqual([]);
  });

  it('does not wait the drain delay, since readiness never turned true', async () => {
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
    const { app, clock } = await appOf([Database, Api], { drainDelay: '5s', journal });
    const began = clock.now();

    await app.start().catch(() => undefined);

    expect({ stopped: journal.entries, waited: clock.now() - began }).toEqual({
      stopped: ['stop:Database'],
      waited: 0,
    });
  });
});

describe('a start whose app services cannot be resolved', () => {
  it('rejects with a StartupError naming the Clock, and the app is failed', async () => {
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(Logger).toConstantValue(new SilentLogger());
    container.bind(Clock).toDynamicValue(() => {
      throw new Error('no time today');
    });
    const app = await Ordo.create(container);

    const error = await app.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StartupError);
    expect(error).toMatchObject({
      code: 'ORDO_RESOLVE_FAILED',
      message: expect.stringMatching(/Clock could not be resolved: .*no time today/),
    });
    expect(app.state).toBe('failed');
  });
});

describe('app.events listeners', () => {
  it('that throw do not fail the boot, and the listeners after them still run', async () => {
    @Component()
    class Database {
      @OnStart() start() {}
    }
    const { app } = await appOf([Database]);
    const seen: string[] = [];
    app.events.on('component:started', () => {
      throw new Error('metrics down');
    });
    app.events.on('component:started', ({ name }) => seen.push(name));

    await app.start();

    expect({ state: app.state, seen }).toEqual({ state: 'running', seen: ['Database'] });
    await app.stop();
  });
});

describe('listenHealth() after stop()', () => {
  it('is refused with an AppStateError', async () => {
    const { app } = await appOf([]);
    await app.start();
    await app.stop();

    const refused = app.listenHealth({ port: 0 });

    await expect(refused).rejects.toBeInstanceOf(AppStateError);
  });
});

describe('listenHealth() racing the end of the app', () => {
  it('closes and refuses a server whose port was bound after stop() finished', async () => {
    const port = await freePort();
    const { app } = await appOf([]);

    const listening = app.listenHealth({ port });
    await app.stop();

    await expect(listening).rejects.toMatchObject({ code: 'ORDO_INVALID_STATE' });
    await expect(fetch(`http://127.0.0.1:${port}/livez`)).rejects.toThrow();
  });

  it('closes and refuses a server whose port was bound after the start failed', async () => {
    const port = await freePort();
    const { app } = await appOf([Failing]);

    const listening = app.listenHealth({ port });
    await app.start().catch(() => undefined);

    await expect(listening).rejects.toMatchObject({ code: 'ORDO_INVALID_STATE' });
    await expect(fetch(`http://127.0.0.1:${port}/livez`)).rejects.toThrow();
  });
});

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

describe('defaults', () => {
  it('gives @OnStop 10 seconds', async () => {
    @Component()
    class Slow {
      @OnStop() stop() {
        return new Promise<void>(() => undefined);
      }
    }
    const { app, clock } = await appOf([Slow]);
    await app.start();
    const began = clock.now();

    const report = await settleWith(clock, app.stop(), '1s');

    expect({ failedAfter: clock.now() - began, failed: report.failed.map((f) => f.name) }).toEqual({
      failedAfter: 10_000,
      failed: ['Slow'],
    });
  });

  it('gives the whole shutdown 30 seconds', async () => {
    const hang = () => new Promise<void>(() => undefined);
    @Component({ name: 'a', stopTimeout: '1m' })
    class A {
      @OnStop() stop() {
        return hang();
      }
    }
    const { app, clock } = await appOf([A]);
    await app.start();
    const began = clock.now();

    await settleWith(clock, app.stop(), '1s');

    expect(clock.now() - began).toBe(30_000);
  });

  it('gives a health check 5 seconds', async () => {
    @Component()
    class Slow {
      @HealthCheck() check() {
        return new Promise<'up'>(() => undefined);
      }
    }
    const { app, clock } = await appOf([Slow]);
    await app.start();
    const began = clock.now();

    const report = await settleWith(clock, app.health(), '1s');

    expect({ after: clock.now() - began, status: report.status }).toEqual({ after: 5_000, status: 'down' });
    await app.stop();
  });

  it('never lets the per-wave floor stretch the shutdown past its budget', async () => {
    const hang = () => new Promise<void>(() => undefined);
    @Component({ name: 'first' })
    class First {
      @OnStop() stop() {
        return hang();
      }
    }
    @Component({ name: 'second', dependsOn: ['first'] })
    class Second {
      @OnStop() stop() {
        return hang();
      }
    }
    const { app, clock } = await appOf([First, Second], { shutdownTimeout: '600ms' });
    await app.start();
    const began = clock.now();

    const report = await settleWith(clock, app.stop(), '100ms');

    const timeouts = report.failed.map((f) => [f.name, (f.error as HookTimeoutError).timeoutMs]);
    expect({ took: clock.now() - began, timeouts }).toEqual({
      took: 600,
      timeouts: [
        ['second', 500],
        ['first', 100],
      ],
    });
  });
});
