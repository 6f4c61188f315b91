import { createServer, type Server } from 'node:http';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { OrdoError, currentTaskScope, type App, type RequestScope, type VirtualClock } from '../../src/index.js';
import { ordoHealth, ordoScope } from '../../src/http/express.js';
import { deferred } from '../support/task-helpers.js';
import {
  close,
  httpApp,
  listen,
  probesAcrossStop,
  openRequest,
  requestContext,
  stopApp,
  type FollowUp,
  type Probe,
  type Users,
} from './http-fixtures.js';

describe('ordoScope(app), the Express middleware', () => {
  let app: App;
  let clock: VirtualClock;
  let probe: Probe;
  let users: Users;
  let followUp: FollowUp;
  let server: Server | undefined;

  beforeEach(async () => {
    ({ app, clock, probe, users, followUp } = await httpApp());
  });

  afterEach(async () => {
    if (server) await close(server);
    server = undefined;
    await stopApp(app, clock);
  });

  async function serve(web: Express): Promise<string> {
    server = createServer(web);
    return listen(server);
  }

  it('gives two concurrent requests a scope each: neither sees the result of the other', async () => {
    const web = express();
    web.use(ordoScope(app));
    web.get('/user/:name', async (request, response) => {
      const user = await users.get('1');
      await users.hold(request.params.name!);
      response.json(user);
    });
    const base = await serve(web);

    const first = fetch(`${base}/user/a`);
    const second = fetch(`${base}/user/b`);
    await Promise.all([probe.startedOf('a').promise, probe.startedOf('b').promise]);
    probe.releaseOf('a').resolve();
    probe.releaseOf('b').resolve();
    const bodies = (await Promise.all([(await first).json(), (await second).json()])) as Array<{ run: number }>;

    expect(probe.runsOf('user:1')).toBe(2);
    expect(bodies[0].run).not.toBe(bodies[1].run);
  });

  it('runs a @Task called by two middlewares and the handler once per request', async () => {
    const web = express();
    web.use(ordoScope(app));
    const seen: number[] = [];
    const lookUp: express.RequestHandler = async (_request, _response, next) => {
      seen.push((await users.get('1')).run);
      next();
    };
    web.get('/user', lookUp, lookUp, async (_request, response) => {
      response.json(await users.get('1'));
    });
    const base = await serve(web);

    const body = (await (await fetch(`${base}/user`)).json()) as { run: number };

    expect(probe.runsOf('user:1')).toBe(1);
    expect(seen).toEqual([body.run, body.run]);
  });

  it('keeps the request scope through express.json() reading a 1 MB body', async () => {
    const web = express();
    web.use(ordoScope(app));
    web.use(async (_request, _response, next) => {
      await users.get('1');
      next();
    });
    web.use(express.json({ limit: '2mb' }));
    let sameScope: boolean | undefined;
    web.post('/echo', async (request, response) => {
      sameScope = currentTaskScope() === request.ordo?.tasks;
      const user = await users.get('1');
      response.json({ length: (request.body as { text: string }).text.length, run: user.run });
    });
    const base = await serve(web);
    const text = 'x'.repeat(1024 * 1024);

    const response = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });

    expect(await response.json()).toEqual({ length: text.length, run: 1 });
    expect(sameScope).toBe(true);
    expect(probe.runsOf('user:1')).toBe(1);
  });

  it("aborts the tasks of a request whose client went away, with ORDO_CLIENT_DISCONNECTED naming it, and no other request's", async () => {
    const web = express();
    // Mounted under a path, where Express strips it from req.url: the reason names the URL the client sent.
    web.use('/api', ordoScope(app));
    web.get('/api/hold/:name', async (request, response) => {
      response.json(await users.hold(request.params.name!));
    });
    const base = await serve(web);
    const leaving = openRequest(`${base}/api/hold/a`);
    const staying = fetch(`${base}/api/hold/b`);
    await Promise.all([probe.startedOf('a').promise, probe.startedOf('b').promise]);

    leaving.destroy();
    await probe.endedOf('a').promise;
    probe.releaseOf('b').resolve();
    const answer = await staying;

    const reason = probe.aborted.get('a');
    expect(OrdoError.is(reason, 'ORDO_CLIENT_DISCONNECTED')).toBe(true);
    expect((reason as Error).message).toContain('GET /api/hold/a');
    expect(probe.aborted.has('b')).toBe(false);
    expect({ status: answer.status, body: await answer.json() }).toEqual({ status: 200, body: 'released' });
  });

  it('never aborts the signal of a request whose response finished, even once its connection closes', async () => {
    const web = express();
    web.use(ordoScope(app));
    let scope: RequestScope | undefined;
    const responseClosed = deferred();
    web.get('/', (request, response) => {
      scope = request.ordo;
      response.once('close', () => responseClosed.resolve());
      response.json({ ok: true });
    });
    const base = await serve(web);

    await (await fetch(`${base}/`)).json();
    await responseClosed.promise;
    await close(server!);
    server = undefined;

    expect(scope!.signal.aborted).toBe(false);
  });

  it("starts after() work once the response was sent, in the request's async context", async () => {
    const web = express();
    web.use(ordoScope(app));
    web.use((_request, _response, next) => requestContext.run('req-7', next));
    web.get('/register', (_request, response) => {
      followUp.defer('audit', () => response.writableFinished);
      response.json({ ok: true });
    });
    const base = await serve(web);

    // The after() work is held open: the client gets its answer all the same.
    const body = await (await fetch(`${base}/register`)).json();
    await probe.afterStarted.promise;
    probe.afterGate.resolve();

    expect(body).toEqual({ ok: true });
    expect(probe.after).toEqual([{ name: 'audit', store: 'req-7', responseFinished: true }]);
  });

  it("passes an error thrown by a @Task to Express's error handler as the same object", async () => {
    const web = express();
    web.use(ordoScope(app));
    web.get('/fail', async () => {
      await users.fail();
    });
    let handled: unknown;
    const onError: ErrorRequestHandler = (error, _request, response, _next) => {
      handled = error;
      response.status(502).json({ error: 'bad gateway' });
    };
    web.use(onError);
    const base = await serve(web);

    const response = await fetch(`${base}/fail`);

    expect(response.status).toBe(502);
    expect(handled).toBe(probe.failure);
  });

  it('refuses an app that is not an Ordo App, naming the option', () => {
    expect(() => ordoScope(undefined as unknown as App)).toThrow(
      expect.objectContaining({ code: 'ORDO_INVALID_OPTION', message: expect.stringContaining('ordoScope() app') }),
    );
  });
});

describe('ordoHealth(app), the Express router', () => {
  it('answers /livez, /readyz and /healthz as the health server does: 200 while running, 503 once stopping', async () => {
    const { app, clock } = await httpApp({ drainDelay: '5s' });
    const web = express();
    web.use(ordoHealth(app));
    const server = createServer(web);
    const base = await listen(server);

    const { running, runningThere, stopping, stoppingThere } = await probesAcrossStop(app, clock, base, '5s');
    await close(server);

    expect(running.map(({ status }) => status)).toEqual([200, 200, 200]);
    expect(running[1]!.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    expect(stopping.map(({ status }) => status)).toEqual([200, 503, 503]);
    expect(stopping[2]!.body).toMatchObject({ status: 'shutting_down' });
    expect(running).toEqual(runningThere);
    expect(stopping).toEqual(stoppingThere);
  });
});
