import Fastify, { type FastifyInstance } from 'fastify';
import { OrdoError, currentTaskScope, type App, type RequestScope, type VirtualClock } from '../../src/index.js';
import { ordoFastify } from '../../src/http/fastify.js';
import { deferred } from '../support/task-helpers.js';
import {
  httpApp,
  openRequest,
  probesAcrossStop,
  requestContext,
  stopApp,
  type FollowUp,
  type Probe,
  type Users,
} from './http-fixtures.js';

/** Listens on 127.0.0.1, a free port; returns the base URL. */
async function listen(server: FastifyInstance): Promise<string> {
  return server.listen({ port: 0, host: '127.0.0.1' });
}

describe('ordoFastify, the Fastify plugin', () => {
  let app: App;
  let clock: VirtualClock;
  let probe: Probe;
  let users: Users;
  let followUp: FollowUp;
  let server: FastifyInstance;

  beforeEach(async () => {
    ({ app, clock, probe, users, followUp } = await httpApp());
    server = Fastify({ forceCloseConnections: true });
  });

  afterEach(async () => {
    await server.close();
    await stopApp(app, clock);
  });

  it('gives two concurrent requests a scope each: neither sees the result of the other', async () => {
    await server.register(ordoFastify, { app });
    server.get<{ Params: { name: string } }>('/user/:name', async (request) => {
      const user = await users.get('1');
      await users.hold(request.params.name);
      return user;
    });
    const base = await listen(server);

    const first = fetch(`${base}/user/a`);
    const second = fetch(`${base}/user/b`);
    await Promise.all([probe.startedOf('a').promise, probe.startedOf('b').promise]);
    probe.releaseOf('a').resolve();
    probe.releaseOf('b').resolve();
    const bodies = (await Promise.all([(await first).json(), (await second).json()])) as Array<{ run: number }>;

    expect(probe.runsOf('user:1')).toBe(2);
    expect(bodies[0]!.run).not.toBe(bodies[1]!.run);
  });

  it('keeps the scope through the hook chain with a 1 MB body: preValidation, preHandler, handler and onSend share one run', async () => {
    await server.register(ordoFastify, { app });
    const seen: Array<{ hook: string; run: number; sameScope: boolean }> = [];
    const look = async (hook: string, scope: RequestScope | undefined) => {
      seen.push({ hook, run: (await users.get('1')).run, sameScope: currentTaskScope() === scope?.tasks });
    };
    server.addHook('preValidation', async (request) => look('preValidation', request.ordo));
    server.addHook('preHandler', async (request) => look('preHandler', request.ordo));
    server.addHook('onSend', async (request, _reply, payload) => {
      await look('onSend', request.ordo);
      return payload;
    });
    server.post<{ Body: { text: string } }>('/echo', { bodyLimit: 2 * 1024 * 1024 }, async (request) => {
      await look('handler', request.ordo);
      return { length: request.body.text.length };
    });
    const base = await listen(server);
    const text = 'x'.repeat(1024 * 1024);

    const response = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });

    expect(await response.json()).toEqual({ length: text.length });
    expect(probe.runsOf('user:1')).toBe(1);
    expect(seen).toEqual(
      ['preValidation', 'preHandler', 'handler', 'onSend'].map((hook) => ({ hook, run: 1, sameScope: true })),
    );
  });

  it("aborts the tasks of a request whose client went away, with ORDO_CLIENT_DISCONNECTED naming it, and no other request's", async () => {
    await server.register(ordoFastify, { app });
    server.get<{ Params: { name: string } }>('/hold/:name', async (request) => ({
      outcome: await users.hold(request.params.name),
    }));
    const base = await listen(server);
    const leaving = openRequest(`${base}/hold/a`);
    const staying = fetch(`${base}/hold/b`);
    await Promise.all([probe.startedOf('a').promise, probe.startedOf('b').promise]);

    leaving.destroy();
    await probe.endedOf('a').promise;
    probe.releaseOf('b').resolve();
    const answer = await staying;

    const reason = probe.aborted.get('a');
    expect(OrdoError.is(reason, 'ORDO_CLIENT_DISCONNECTED')).toBe(true);
    expect((reason as Error).message).toContain('GET /hold/a');
    expect(probe.aborted.has('b')).toBe(false);
    expect({ status: answer.status, body: await answer.json() }).toEqual({
      status: 200,
      body: { outcome: 'released' },
    });
  });

  it('never aborts the signal of a request whose response finished', async () => {
    await server.register(ordoFastify, { app });
    let scope: RequestScope | undefined;
    const responseClosed = deferred();
    server.get('/', async (request, reply) => {
      scope = request.ordo;
      reply.raw.once('close', () => responseClosed.resolve());
      return { ok: true };
    });
    const base = await listen(server);

    await (await fetch(`${base}/`)).json();
    await responseClosed.promise;

    expect(scope!.signal.aborted).toBe(false);
  });

  it("starts after() work once the response was sent, in the request's async context", async () => {
    await server.register(ordoFastify, { app });
    server.addHook('preHandler', (_request, _reply, next) => requestContext.run('req-7', next));
    server.get('/register', async (_request, reply) => {
      followUp.defer('audit', () => reply.raw.writableFinished);
      return { ok: true };
    });
    const base = await listen(server);

    // The after() work is held open: the client gets its answer all the same.
    const body = await (await fetch(`${base}/register`)).json();
    await probe.afterStarted.promise;
    probe.afterGate.resolve();

    expect(body).toEqual({ ok: true });
    expect(probe.after).toEqual([{ name: 'audit', store: 'req-7', responseFinished: true }]);
  });

  it("passes an error thrown by a @Task to Fastify's error handler as the same object", async () => {
    await server.register(ordoFastify, { app });
    let handled: unknown;
    server.setErrorHandler(async (error, _request, reply) => {
      handled = error;
      return reply.code(502).send({ error: 'bad gateway' });
    });
    server.get('/fail', async () => users.fail());
    const base = await listen(server);

    const response = await fetch(`${base}/fail`);

    expect(response.status).toBe(502);
    expect(handled).toBe(probe.failure);
  });

  it('reaches the routes of the context that registers it and its children, not those of a sibling', async () => {
    const scoped = (request: { ordo?: RequestScope }) => ({
      ordo: request.ordo !== undefined,
      inScope: currentTaskScope() !== undefined,
    });
    await server.register(async (child) => {
      await child.register(ordoFastify, { app });
      child.get('/inside', async (request) => scoped(request));
      await child.register(async (grandchild) => {
        grandchild.get('/below', async (request) => scoped(request));
      });
    });
    await server.register(async (sibling) => {
      sibling.get('/beside', async (request) => scoped(request));
    });
    const base = await listen(server);

    const answers = await Promise.all(
      ['/inside', '/below', '/beside'].map(async (path) => (await fetch(`${base}${path}`)).json()),
    );

    expect(answers).toEqual([
      { ordo: true, inScope: true },
      { ordo: true, inScope: true },
      { ordo: false, inScope: false },
    ]);
  });

  it('refuses registration without an Ordo App, naming the option', async () => {
    const registered = server.register(ordoFastify, {} as { app: App });

    await expect(registered).rejects.toMatchObject({
      code: 'ORDO_INVALID_OPTION',
      message: expect.stringContaining('ordoFastify option app'),
    });
  });
});

describe('ordoFastify with health: true', () => {
  it('answers /livez, /readyz and /healthz as the health server does: 200 while running, 503 once stopping', async () => {
    const { app, clock } = await httpApp({ drainDelay: '5s' });
    const server = Fastify();
    await server.register(ordoFastify, { app, health: true });
    const base = await listen(server);

    const { running, runningThere, stopping, stoppingThere } = await probesAcrossStop(app, clock, base, '5s');
    await server.close();

    expect(running.map(({ status }) => status)).toEqual([200, 200, 200]);
    expect(stopping.map(({ status }) => status)).toEqual([200, 503, 503]);
    expect(stopping[1]!.body).toMatchObject({ status: 'shutting_down' });
    expect(running).toEqual(runningThere);
    expect(stopping).toEqual(stoppingThere);
  });

  it('serves no health routes unless asked', async () => {
    const { app, clock } = await httpApp();
    const server = Fastify();
    await server.register(ordoFastify, { app });
    const base = await listen(server);

    const response = await fetch(`${base}/readyz`);
    await server.close();
    await stopApp(app, clock);

    expect(response.status).toBe(404);
  });
});
