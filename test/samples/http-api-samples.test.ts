import { Background, type App } from '../../src/index.js';
import { createExpressApiApp, ExpressApi } from '../../samples/express-api/express-api.js';
import { createFastifyApiApp, FastifyApi } from '../../samples/fastify-api/fastify-api.js';
import { Upstream } from '../../samples/enriched-user/services.js';
import { AnalyticsRecorder, AnalyticsSettings } from '../../samples/register-action/register-action.js';

// Real HTTP on 127.0.0.1 against each sample's server, on the system clock with short latencies. The two samples
// are the same service on two frameworks, so they answer to the same specification.

/** One HTTP sample: how to create its app, its server component, and the log line its framework's close writes. */
interface HttpSample {
  readonly name: string;
  readonly create: typeof createExpressApiApp;
  readonly server: typeof ExpressApi | typeof FastifyApi;
  readonly closedLine: string | undefined;
}

const SAMPLES: readonly HttpSample[] = [
  { name: 'express-api', create: createExpressApiApp, server: ExpressApi, closedLine: undefined },
  { name: 'fastify-api', create: createFastifyApiApp, server: FastifyApi, closedLine: 'info  fastify closed' },
];

function register(base: string, requestId: string, userId: string): Promise<Response> {
  return fetch(`${base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ email: `${userId}@example.com`, userId }),
  });
}

describe.each(SAMPLES)('the $name sample', ({ name, create, server, closedLine }) => {
  async function started(lines: string[] = []): Promise<{ app: App; base: string }> {
    const app = await create({ print: (line) => lines.push(line), analytics: new AnalyticsSettings('50ms') });
    await app.start();
    return { app, base: `http://127.0.0.1:${app.get<ExpressApi | FastifyApi>(server).port}` };
  }

  it('answers the enriched user, fetching each upstream once per request', async () => {
    const { app, base } = await started();

    const body = await (await fetch(`${base}/users/1`)).json();
    const upstream = app.get(Upstream);
    const calls = [upstream.callsTo('user:1'), upstream.callsTo('posts:1'), upstream.callsTo('subscription:1')];
    await app.stop();

    expect(body).toEqual({
      user: { id: '1', name: 'User 1' },
      posts: ["User 1's first post", "User 1's second post"],
      subscription: 'pro',
    });
    expect(calls).toEqual([1, 1, 1]);
  });

  it('answers the registration before its analytics run, then records them with the request id in the log', async () => {
    const lines: string[] = [];
    const { app, base } = await started(lines);
    const analytics = app.get(AnalyticsRecorder);

    const response = await register(base, 'req-7', 'u7');
    const recordedAtResponse = [...analytics.recorded];
    await app.get(Background).settle();
    await app.stop();

    expect([response.status, await response.json()]).toEqual([201, { ok: true }]);
    expect(recordedAtResponse).toEqual([]);
    expect(analytics.recorded).toEqual(['user_registered:u7']);
    expect(lines).toContain('info  analytics recorded requestId="req-7" userId="u7"');
  });

  it('drains the analytics still running at the stop, after the server drained, and serves health on its port', async () => {
    const lines: string[] = [];
    const { app, base } = await started(lines);
    const ready = (await fetch(`${base}/readyz`)).status;
    const response = await register(base, 'req-8', 'u8');

    const report = await app.stop('deploy');

    expect([ready, response.status]).toEqual([200, 201]);
    expect(report).toMatchObject({ ok: true, details: { [name]: { inFlight: 0, destroyed: 0 } } });
    expect(app.get(AnalyticsRecorder).recorded).toEqual(['user_registered:u8']);
    const serverStopped = lines.findIndex((l) => l.startsWith(`info  component stopped component="${name}"`));
    const recorded = lines.indexOf('info  analytics recorded requestId="req-8" userId="u8"');
    expect({ serverStopped: serverStopped >= 0, recordedAfter: recorded > serverStopped }).toEqual({
      serverStopped: true,
      recordedAfter: true,
    });
    if (closedLine !== undefined) expect(lines).toContain(closedLine);
  });

  it('answers 409 for a user that exists', async () => {
    const { app, base } = await started();
    await register(base, 'req-1', 'u1');

    const again = await register(base, 'req-2', 'u1');
    await app.stop();

    expect(again.status).toBe(409);
  });
});
