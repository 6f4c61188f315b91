import { createServer, type Server } from 'node:http';
import { OrdoError, currentTaskScope, type App, type VirtualClock } from '../../src/index.js';
import { withOrdoScope } from '../../src/http/index.js';
import {
  close,
  httpApp,
  listen,
  openRequest,
  requestContext,
  stopApp,
  type FollowUp,
  type Probe,
  type Users,
} from './http-fixtures.js';
import { deferred } from '../support/task-helpers.js';

describe('withOrdoScope(app, handler), for node:http', () => {
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

  async function serve(listener: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(listener);
    return listen(server);
  }

  it('gives the handler its request scope, the one @Task calls made from it run in', async () => {
    const base = await serve(
      withOrdoScope(app, (_request, response, scope) => {
        response.end(JSON.stringify({ sameScope: currentTaskScope() === scope.tasks, aborted: scope.signal.aborted }));
      }),
    );

    const body = await (await fetch(`${base}/`)).json();

    expect(body).toEqual({ sameScope: true, aborted: false });
  });

  it('gives two concurrent requests a scope each, and one run per request to a @Task called twice', async () => {
    const base = await serve(
      withOrdoScope(app, async (request, response) => {
        const name = request.url!.slice(1);
        const first = await users.get('1');
        await users.hold(name);
        const again = await users.get('1');
        response.end(JSON.stringify({ first: first.run, again: again.run }));
      }),
    );

    const a = fetch(`${base}/a`);
    const b = fetch(`${base}/b`);
    await Promise.all([probe.startedOf('a').promise, probe.startedOf('b').promise]);
    probe.releaseOf('a').resolve();
    probe.releaseOf('b').resolve();
    const [bodyA, bodyB] = (await Promise.all([(await a).json(), (await b).json()])) as Array<{
      first: number;
      again: number;
    }>;

    expect(probe.runsOf('user:1')).toBe(2);
    expect(bodyA!.again).toBe(bodyA!.first);
    expect(bodyB!.again).toBe(bodyB!.first);
    expect(bodyA!.first).not.toBe(bodyB!.first);
  });

  it("aborts the tasks of a request whose client went away, with ORDO_CLIENT_DISCONNECTED naming it, and no other request's", async () => {
    const base = await serve(
      withOrdoScope(app, (request, response) => {
        // An aborted request's own wait rejects with the reason: nobody is left to answer.
        users.hold(request.url!.slice(1)).then(
          (outcome) => response.end(outcome),
          () => response.destroy(),
        );
      }),
    );
    const leaving = openRequest(`${base}/a?from=test`);
    const staying = fetch(`${base}/b`);
    await Promise.all([probe.startedOf('a?from=test').promise, probe.startedOf('b').promise]);

    leaving.destroy();
    await probe.endedOf('a?from=test').promise;
    probe.releaseOf('b').resolve();
    const answer = await (await staying).text();

    const reason = probe.aborted.get('a?from=test');
    expect(OrdoError.is(reason, 'ORDO_CLIENT_DISCONNECTED')).toBe(true);
    expect(reason).toMatchObject({ method: 'GET', url: '/a?from=test' });
    expect((reason as Error).message).toBe(
      'GET /a?from=test: the client closed the connection before the response finished',
    );
    expect(probe.aborted.has('b')).toBe(false);
    expect(answer).toBe('released');
  });

  it("aborts the scope's signal read before the client went away, and gives an aborted one when read after", async () => {
    const entered = { early: deferred(), late: deferred() };
    const read = { early: deferred<AbortSignal>(), late: deferred<AbortSignal>() };
    const base = await serve(
      withOrdoScope(app, (request, _response, scope) => {
        const name = request.url!.slice(1) as 'early' | 'late';
        // The adapter's own 'close' listener came first: by the time this one runs, the scope has aborted.
        if (name === 'early') read.early.resolve(scope.signal);
        else request.socket.once('close', () => read.late.resolve(scope.signal));
        entered[name].resolve();
      }),
    );
    const early = openRequest(`${base}/early`);
    const late = openRequest(`${base}/late`);
    await Promise.all([entered.early.promise, entered.late.promise]);
    const earlySignal = await read.early.promise;
    const abortedBeforeLeaving = earlySignal.aborted;

    early.destroy();
    late.destroy();
    const lateSignal = await read.late.promise;
    if (!earlySignal.aborted) {
      await new Promise<void>((resolve) => earlySignal.addEventListener('abort', () => resolve(), { once: true }));
    }

    expect(abortedBeforeLeaving).toBe(false);
    expect(OrdoError.is(earlySignal.reason, 'ORDO_CLIENT_DISCONNECTED')).toBe(true);
    expect(lateSignal.aborted).toBe(true);
    expect(OrdoError.is(lateSignal.reason, 'ORDO_CLIENT_DISCONNECTED')).toBe(true);
  });

  it("starts after() work once the response was sent, in the request's async context", async () => {
    const base = await serve(
      withOrdoScope(app, (_request, response) =>
        requestContext.run('req-7', () => {
          followUp.defer('audit', () => response.writableFinished);
          response.end('ok');
        }),
      ),
    );

    // The after() work is held open: the client gets its answer all the same.
    const body = await (await fetch(`${base}/`)).text();
    await probe.afterStarted.promise;
    probe.afterGate.resolve();

    expect(body).toBe('ok');
    expect(probe.after).toEqual([{ name: 'audit', store: 'req-7', responseFinished: true }]);
  });

  it('rethrows what the handler throws, and still ends the scope only with the response', async () => {
    const failure = new Error('handler bug');
    const handler = withOrdoScope(app, () => {
      followUp.defer('audit', () => false);
      throw failure;
    });
    let caught: unknown;
    let afterCountWhenCaught: number | undefined;
    const base = await serve((request, response) => {
      try {
        handler(request, response);
      } catch (error) {
        caught = error;
        afterCountWhenCaught = probe.after.length;
        response.statusCode = 500;
        response.end();
      }
    });

    const status = (await fetch(`${base}/`)).status;
    await probe.afterStarted.promise;
    probe.afterGate.resolve();

    expect({ status, caught, afterCountWhenCaught }).toEqual({ status: 500, caught: failure, afterCountWhenCaught: 0 });
    expect(probe.after.map(({ name }) => name)).toEqual(['audit']);
  });

  it.each([
    ['a response that finished', false],
    ['a client that went away', true],
  ])('leaves no listener of its own on the response after %s', async (_case, cut) => {
    const handler = withOrdoScope(app, (request, response) => {
      if (!cut) response.end('ok');
      else void users.hold('cut').catch(() => undefined);
    });
    const counts = deferred<Array<[number, number]>>();
    const base = await serve((request, response) => {
      const before: [number, number] = [response.listenerCount('finish'), response.listenerCount('close')];
      handler(request, response);
      response.once('close', () =>
        // Once every 'close' listener ran, ours among them.
        setImmediate(() =>
          counts.resolve([before, [response.listenerCount('finish'), response.listenerCount('close')]]),
        ),
      );
    });

    if (cut) {
      const leaving = openRequest(`${base}/`);
      await probe.startedOf('cut').promise;
      leaving.destroy();
    } else await (await fetch(`${base}/`)).text();
    const [before, after] = await counts.promise;

    expect(after).toEqual(before);
  });
});
