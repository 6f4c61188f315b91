import { existsSync } from 'node:fs';
import { inject } from 'inversify';
import { Component, ConfigurationError, HealthCheck, OnStart, OnStop, type HealthResult } from '../../src/index.js';
import { Journal, appOf, deferred } from '../support/app-fixtures.js';

function probe(name: string, result: () => HealthResult | Promise<HealthResult>) {
  @Component({ name })
  class Probe {
    @HealthCheck() check() {
      return result();
    }
  }
  return Probe;
}

describe('health()', () => {
  it('is up and ready when every check is up', async () => {
    const { app } = await appOf([
      probe('db', () => 'up'),
      probe('cache', () => ({ status: 'up', details: { hits: 3 } })),
    ]);
    await app.start();

    const report = await app.health();

    expect(report).toEqual({
      status: 'up',
      live: true,
      ready: true,
      state: 'running',
      checks: { db: { status: 'up', durationMs: 0 }, cache: { status: 'up', details: { hits: 3 }, durationMs: 0 } },
    });
  });

  it('stays ready but reports degraded when a check is degraded', async () => {
    const { app } = await appOf([probe('db', () => 'up'), probe('cache', () => 'degraded')]);
    await app.start();

    await expect(app.health()).resolves.toMatchObject({ status: 'degraded', ready: true });
  });

  it('is not ready when a check is down, and down beats degraded', async () => {
    const { app } = await appOf([probe('db', () => 'down'), probe('cache', () => 'degraded')]);
    await app.start();

    await expect(app.health()).resolves.toMatchObject({ status: 'down', ready: false, live: true });
  });

  it('counts a check that throws as down, with its message', async () => {
    const { app } = await appOf([
      probe('db', () => {
        throw new Error('connection refused');
      }),
    ]);
    await app.start();

    await expect(app.health()).resolves.toMatchObject({
      ready: false,
      checks: { db: { status: 'down', error: 'connection refused' } },
    });
  });

  it.each([
    ['a name on Object.prototype', 'toString', '"toString"'],
    ['an object whose status is a name on Object.prototype', { status: 'constructor' }, '{"status":"constructor"}'],
    ['a status in the wrong case', 'UP', '"UP"'],
    ['nothing', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a number', 1, '1'],
    ['an object without a status', { details: { pool: 4 } }, '{"details":{"pool":4}}'],
    ['details that are not an object', { status: 'up', details: 'fast' }, '{"status":"up","details":"fast"}'],
  ])('counts a check that returns %s as down, naming the component and what it returned', async (_, result, shown) => {
    const { app } = await appOf([probe('db', () => result as HealthResult)]);
    await app.start();

    const report = await app.health();

    expect(report).toMatchObject({ status: 'down', ready: false, checks: { db: { status: 'down' } } });
    expect(report.checks.db!.error).toContain(`health check of "db" returned ${shown}`);
  });

  it("keeps a check's details apart from its status, even a detail named status", async () => {
    const { app } = await appOf([probe('db', () => ({ status: 'up', details: { status: 'down', pool: 4 } }))]);
    await app.start();

    const report = await app.health();

    expect(report).toMatchObject({
      status: 'up',
      ready: true,
      checks: { db: { status: 'up', details: { status: 'down', pool: 4 } } },
    });
  });

  it('counts a check past its timeout as down and aborts its signal', async () => {
    let aborted = false;
    @Component({ name: 'slow' })
    class Slow {
      @HealthCheck({ timeout: '2s' }) check(signal: AbortSignal) {
        signal.addEventListener('abort', () => (aborted = true));
        return new Promise<HealthResult>(() => undefined);
      }
    }
    const { app, clock } = await appOf([Slow]);
    await app.start();

    const report = app.health();
    await clock.waitForTimers(1);
    await clock.advance('2s');

    await expect(report).resolves.toMatchObject({
      status: 'down',
      checks: { slow: { status: 'down', error: expect.stringContaining('within 2000 ms') } },
    });
    expect(aborted).toBe(true);
  });

  it('runs the checks concurrently', async () => {
    const gate = deferred<HealthResult>();
    const begun: string[] = [];
    const { app } = await appOf([
      probe('a', () => {
        begun.push('a');
        return gate.promise;
      }),
      probe('b', () => {
        begun.push('b');
        return gate.promise;
      }),
    ]);
    await app.start();

    const report = app.health();
    await new Promise((resolve) => setImmediate(resolve));
    const begunBeforeAnyAnswered = [...begun];
    gate.resolve('up');
    await report;

    expect(begunBeforeAnyAnswered).toEqual(['a', 'b']);
  });

  it('is not ready before start and runs no check', async () => {
    let calls = 0;
    const { app } = await appOf([
      probe('db', () => {
        calls++;
        return 'up';
      }),
    ]);

    const report = await app.health();

    expect(report).toMatchObject({ ready: false, live: true, state: 'created', checks: {} });
    expect(calls).toBe(0);
  });

  it('is not live after a failed start', async () => {
    @Component()
    class Bad {
      @OnStart() start() {
        throw new Error('x');
      }
    }
    const { app } = await appOf([Bad]);
    await app.start().catch(() => undefined);

    await expect(app.health()).resolves.toMatchObject({ live: false, ready: false, state: 'failed' });
  });

  it('turns readiness false as soon as stop() begins', async () => {
    const gate = deferred();
    @Component()
    class Api {
      constructor(@inject(Journal) readonly j: Journal) {}
      @HealthCheck() check() {
        return 'up' as const;
      }
      @OnStop() stop() {
        return gate.promise;
      }
    }
    const { app } = await appOf([Api]);
    await app.start();

    const stopped = app.stop();
    const during = await app.health();
    gate.resolve();
    await stopped;

    expect(during).toMatchObject({ ready: false, state: 'stopping' });
  });
});

describe('listenHealth()', () => {
  async function fetchJson(url: string): Promise<{ status: number; body: unknown }> {
    const response = await fetch(url);
    return { status: response.status, body: await response.json() };
  }

  it('serves liveness, readiness and health in the Terminus shape over HTTP', async () => {
    const { app } = await appOf([
      probe('db', () => ({ status: 'up', details: { pool: 4 } })),
      probe('cache', () => 'degraded'),
    ]);
    await app.start();
    const server = await app.listenHealth({ port: 0 });

    const live = await fetchJson(`${server.url}/livez`);
    const ready = await fetchJson(`${server.url}/readyz`);
    const health = await fetchJson(`${server.url}/healthz`);
    await app.stop();

    expect(live).toEqual({
      status: 200,
      body: {
        status: 'ok',
        info: { app: { status: 'up', state: 'running' } },
        error: {},
        details: { app: { status: 'up', state: 'running' } },
      },
    });
    expect(ready.status).toBe(200);
    expect(health).toEqual({
      status: 200,
      body: {
        status: 'ok',
        info: { db: { status: 'up', pool: 4 }, cache: { status: 'degraded' } },
        error: {},
        details: { db: { status: 'up', pool: 4 }, cache: { status: 'degraded' } },
      },
    });
  });

  it('answers 503 with the failing check under error when a check is down', async () => {
    const { app } = await appOf([
      probe('db', () => {
        throw new Error('refused');
      }),
    ]);
    await app.start();
    const server = await app.listenHealth();

    const ready = await fetchJson(`${server.url}/readyz`);
    await app.stop();

    expect(ready).toEqual({
      status: 503,
      body: {
        status: 'error',
        info: {},
        error: { db: { status: 'down', message: 'refused' } },
        details: { db: { status: 'down', message: 'refused' } },
      },
    });
  });

  it('answers 503 shutting_down while the app stops, then closes', async () => {
    const gate = deferred();
    @Component()
    class Api {
      @OnStop() stop() {
        return gate.promise;
      }
    }
    const { app } = await appOf([Api]);
    await app.start();
    const server = await app.listenHealth();

    const stopped = app.stop();
    const during = await fetchJson(`${server.url}/readyz`);
    gate.resolve();
    await stopped;

    expect(during).toEqual({ status: 503, body: { status: 'shutting_down', info: {}, error: {}, details: {} } });
    await expect(fetch(`${server.url}/livez`)).rejects.toThrow();
  });

  it("answers 200 with the check's own status when its details hold a field named status", async () => {
    const { app } = await appOf([probe('db', () => ({ status: 'up', details: { status: 'down', pool: 4 } }))]);
    await app.start();
    const server = await app.listenHealth();

    const health = await fetchJson(`${server.url}/healthz`);
    await app.stop();

    expect(health).toEqual({
      status: 200,
      body: {
        status: 'ok',
        info: { db: { status: 'up', pool: 4 } },
        error: {},
        details: { db: { status: 'up', pool: 4 } },
      },
    });
  });

  it('answers 503 naming what a check returned when its status is a name on Object.prototype', async () => {
    const { app } = await appOf([probe('db', () => ({ status: 'constructor' }) as unknown as HealthResult)]);
    await app.start();
    const server = await app.listenHealth();

    const ready = await fetchJson(`${server.url}/readyz`);
    await app.stop();

    expect(ready).toMatchObject({
      status: 503,
      body: {
        status: 'error',
        info: {},
        error: { db: { status: 'down', message: expect.stringContaining('returned {"status":"constructor"}') } },
      },
    });
  });

  it('listens on a port given as a string of digits, as an environment variable holds it', async () => {
    const { app } = await appOf([]);
    await app.start();
    const server = await app.listenHealth({ port: '0' });

    const live = await fetch(`${server.url}/livez`);
    await app.stop();

    expect({ status: live.status, url: server.url }).toEqual({ status: 200, url: `http://127.0.0.1:${server.port}` });
    expect(server.port).toBeGreaterThan(0);
  });

  it('refuses a port that is not a number, before listening on anything', async () => {
    const { app } = await appOf([]);
    await app.start();

    const outcome = await app.listenHealth({ port: 'health' }).catch((e: unknown) => e);
    const socketFileMade = existsSync('health');
    await app.stop();

    expect(outcome).toBeInstanceOf(ConfigurationError);
    expect(outcome).toMatchObject({
      code: 'ORDO_INVALID_OPTION',
      message: expect.stringMatching(/^listenHealth\(\) option port: "health" is not a port;/),
    });
    expect(socketFileMade).toBe(false);
  });

  it.each([
    ['negative', -1],
    ['above 65535', 65_536],
    ['fractional', 80.5],
    ['NaN', Number.NaN],
    ['an empty string', ''],
    ['a string with a sign', '+80'],
    ['a string in hex', '0x50'],
    ['a string with spaces', ' 80'],
  ])('refuses a port that is %s', async (_, port) => {
    const { app } = await appOf([]);
    await app.start();

    const outcome = await app.listenHealth({ port }).catch((e: unknown) => e);
    await app.stop();

    expect(outcome).toMatchObject({ code: 'ORDO_INVALID_OPTION', message: expect.stringContaining('option port:') });
  });

  it.each([
    ['empty, which would listen on every interface', ''],
    ['not a host name', 'http://127.0.0.1'],
    ['not a string', 127],
  ])('refuses a host that is %s', async (_, host) => {
    const { app } = await appOf([]);
    await app.start();

    const outcome = await app.listenHealth({ host: host as string }).catch((e: unknown) => e);
    await app.stop();

    expect(outcome).toMatchObject({ code: 'ORDO_INVALID_OPTION', message: expect.stringContaining('option host:') });
  });

  it('answers 404 for other paths', async () => {
    const { app } = await appOf([]);
    await app.start();
    const server = await app.listenHealth();

    const response = await fetch(`${server.url}/metrics`);
    await app.stop();

    expect(response.status).toBe(404);
  });
});

describe('the code of a check that is down', () => {
  it('is ORDO_HEALTH_TIMEOUT for a check past its timeout', async () => {
    @Component({ name: 'slow' })
    class Slow {
      @HealthCheck({ timeout: '2s' }) check() {
        return new Promise<HealthResult>(() => undefined);
      }
    }
    const { app, clock } = await appOf([Slow]);
    await app.start();

    const report = app.health();
    await clock.waitForTimers(1);
    await clock.advance('2s');

    await expect(report).resolves.toMatchObject({ checks: { slow: { status: 'down', code: 'ORDO_HEALTH_TIMEOUT' } } });
  });

  it('is ORDO_HEALTH_RESULT for a check that returns something that is not a health result', async () => {
    const { app } = await appOf([probe('db', () => true as unknown as HealthResult)]);
    await app.start();

    const report = await app.health();

    expect(report.checks.db).toMatchObject({
      status: 'down',
      code: 'ORDO_HEALTH_RESULT',
      error: expect.stringContaining('health check of "db" returned true'),
    });
  });

  it('is absent for a check that throws an error of its own', async () => {
    const { app } = await appOf([
      probe('db', () => {
        throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
      }),
    ]);
    await app.start();

    const report = await app.health();

    expect(report.checks.db).toEqual({ status: 'down', error: 'connection refused', durationMs: 0 });
  });
});
