import { VirtualClock } from '../../src/index.js';
import { burst, ConfigUpstream, createHerdApp } from '../../samples/thundering-herd/config-client.js';

describe('the thundering-herd sample', () => {
  it('makes one upstream call for 10,000 concurrent requests, and one more after the ttl', async () => {
    const clock = new VirtualClock();
    const app = await createHerdApp(clock);
    await app.start();
    const upstream = app.get(ConfigUpstream);

    const firstBurst = burst(app, 10_000);
    await clock.advance('200ms');
    const first = await firstBurst;
    await clock.advance('4m59s');
    const withinTtl = await burst(app, 100);
    await clock.advance('1s');
    const refreshing = burst(app, 100);
    await clock.advance('200ms');
    const refreshed = await refreshing;
    await app.stop();

    expect(first.every((config) => config.version === 1)).toBe(true);
    expect(withinTtl.every((config) => config.version === 1)).toBe(true);
    expect(refreshed.every((config) => config.version === 2)).toBe(true);
    expect(upstream.calls).toBe(2);
  });

  it('stops the upstream call once every request waiting for it has gone away', async () => {
    const clock = new VirtualClock();
    const app = await createHerdApp(clock);
    await app.start();
    const upstream = app.get(ConfigUpstream);
    const clients = new AbortController();

    const requests = burst(app, 100, clients.signal).catch((error: unknown) => error);
    await clock.waitForTimers(1); // the upstream call is in flight
    clients.abort(new Error('clients went away'));
    const outcome = await requests;
    const timersLeft = clock.pendingTimers();
    await app.stop();

    expect(outcome).toEqual(new Error('clients went away'));
    expect([upstream.calls, upstream.abandoned]).toEqual([1, 1]);
    expect(timersLeft).toBe(0);
  });
});
