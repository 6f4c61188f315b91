import { inject } from 'inversify';
import { Component, HealthCheck, OnStart, OnStop, type HealthResult } from '../../src/index.js';
import { Journal, appOf, deferred } from './fixtures.js';

function probe(name: string, result: () => HealthResult | Promise<HealthResult>) {
  @Component({ name }) class Probe {
    @HealthCheck() check() { return result(); }
  }
  return Probe;
}

describe('health()', () => {
  it('is up and ready when every check is up', async () => {
    const { app } = await appOf([probe('db', () => 'up'), probe('cache', () => ({ status: 'up', details: { hits: 3 } }))]);
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
    const { app } = await appOf([probe('db', () => { throw new Error('connection refused'); })]);
    await app.start();

    await expect(app.health()).resolves.toMatchObject({ ready: false, checks: { db: { status: 'down', error: 'connection refused' } } });
  });

  it('counts a check past its timeout as down and aborts its signal', async () => {
    let aborted = false;
    @Component({ name: 'slow' }) class Slow {
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

    await expect(report).resolves.toMatchObject({ status: 'down', checks: { slow: { status: 'down', error: expect.stringContaining('within 2000 ms') } } });
    expect(aborted).toBe(true);
  });

  it('runs the checks concurrently', async () => {
    const gate = deferred<HealthResult>();
    const begun: string[] = [];
    const { app } = await appOf([
      probe('a', () => { begun.push('a'); return gate.promise; }),
      probe('b', () => { begun.push('b'); return gate.promise; }),
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
    const { app } = await appOf([probe('db', () => { calls++; return 'up'; })]);

    const report = await app.health();

    expect(report).toMatchObject({ ready: false, live: true, state: 'created', checks: {} });
    expect(calls).toBe(0);
  });

  it('is not live after a failed start', async () => {
    @Component() class Bad { @OnStart() start() { throw new Error('x'); } }
    const { app } = await appOf([Bad]);
    await app.start().catch(() => undefined);

    await expect(app.health()).resolves.toMatchObject({ live: false, ready: false, state: 'failed' });
  });

  it('turns readiness false as soon as stop() begins', async () => {
    const gate = deferred();
    @Component() class Api {
      constructor(@inject(Journal) readonly j: Journal) {}
      @HealthCheck() check() { return 'up' as const; }
      @OnStop() stop() { return gate.promise; }
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
    const { app } = await appOf([probe('db', () => ({ status: 'up', details: { pool: 4 } })), probe('cache', () => 'degraded')]);
    await app.start();
    const server = await app.listenHealth({ port: 0 });

    const live = await fetchJson(`${server.url}/livez`);
    const ready = await fetchJson(`${server.url}/readyz`);
    const health = await fetchJson(`${server.url}/healthz`);
    await app.stop();

    expect(live).toEqual({
      status: 200,
      body: { status: 'ok', info: { app: { status: 'up', state: 'running' } }, error: {}, details: { app: { status: 'up', state: 'running' } } },
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
    const { app } = await appOf([probe('db', () => { throw new Error('refused'); })]);
    await app.start();
    const server = await app.listenHealth();

    const ready = await fetchJson(`${server.url}/readyz`);
    await app.stop();

    expect(ready).toEqual({
      status: 503,
      body: { status: 'error', info: {}, error: { db: { status: 'down', message: 'refused' } }, details: { db: { status: 'down', message: 'refused' } } },
    });
  });

  it('answers 503 shutting_down while the app stops, then closes', async () => {
    const gate = deferred();
    @Component() class Api { @OnStop() stop() { return gate.promise; } }
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

  it('answers 404 for other paths', async () => {
    const { app } = await appOf([]);
    await app.start();
    const server = await app.listenHealth();

    const response = await fetch(`${server.url}/metrics`);
    await app.stop();

    expect(response.status).toBe(404);
  });
});
