import Fastify from 'fastify';
import { inject } from 'inversify';
import {
  Component,
  OrdoError,
  StartupError,
  type App,
  type AppEventMap,
  type HealthReport,
} from '../../../src/index.js';
import { GracefulHttpServer } from '../../../src/http/server/index.js';
import { appOf } from '../../support/app-fixtures.js';
import { Agents, Gate, request } from './server-fixtures.js';

@Component({ name: 'api' })
class Api extends GracefulHttpServer {
  constructor(@inject(Gate) private readonly gate: Gate) {
    super({ host: '127.0.0.1', drainTimeout: '2s' });
  }
  protected handler() {
    return this.gate.listener;
  }
}

async function started(options: { drainDelay?: string } = {}) {
  const gate = new Gate();
  const { app, clock } = await appOf([Api], { ...options, overrides: [[Gate, gate]] });
  await app.start();
  return { app, clock, gate, port: app.get(Api).port };
}

/** Resolves once the app's stop has reached the server's `@OnStop`, which arms its drain deadline as it begins. */
function serverStopping(app: App): Promise<void> {
  return new Promise((resolve) =>
    app.events.on('component:stopping', ({ name }: AppEventMap['component:stopping'][0]) => {
      if (name === 'api') resolve();
    }),
  );
}

describe('a graceful HTTP server component', () => {
  const agents = new Agents();
  afterEach(() => agents.destroyAll());

  it('serves what its handler() returns on the port it listens on', async () => {
    const { app, port } = await started();

    const reply = await request(port, '/hello', agents.keepAlive());
    await app.stop();

    expect([reply.status, reply.body]).toEqual([200, 'answer to /hello']);
  });

  it('lets every request in flight at the stop finish with 200, telling its client the connection closes', async () => {
    const { app, gate, port } = await started();
    const agent = agents.keepAlive();
    const replies = Promise.all(Array.from({ length: 5 }, (_, i) => request(port, `/slow?n=${i}`, agent)));
    await gate.arrived(5);
    const stopping = serverStopping(app);

    const stopped = app.stop();
    await stopping;
    gate.release();
    const answers = await replies;
    const report = await stopped;

    expect(answers.map((reply) => [reply.status, reply.body, reply.headers.connection])).toEqual(
      Array.from({ length: 5 }, (_, i) => [200, `answer to /slow?n=${i}`, 'close']),
    );
    expect(report.details.api).toEqual({ inFlight: 5, drained: 5, destroyed: 0 });
  });

  it('closes an idle keep-alive connection at once, while a request is still in flight', async () => {
    const { app, gate, port } = await started();
    const idle = await request(port, '/fast', agents.keepAlive());
    const idleClosed = new Promise<void>((resolve) => idle.socket.once('close', () => resolve()));
    const slow = request(port, '/slow', agents.keepAlive());
    await gate.arrived(1);

    const stopped = app.stop();
    await idleClosed; // before the request in flight is released: it would hang here if the idle socket lingered
    gate.release();

    expect((await slow).status).toBe(200);
    expect((await stopped).ok).toBe(true);
  });

  it('destroys a request still unanswered at the drain deadline on the Clock, and counts it', async () => {
    const { app, clock, gate, port } = await started();
    const stuck = request(port, '/slow', agents.keepAlive()).catch((error: NodeJS.ErrnoException) => error);
    await gate.arrived(1);
    const stopping = serverStopping(app);

    const stopped = app.stop();
    await stopping;
    await clock.advance('2s');
    const report = await stopped;

    expect(await stuck).toMatchObject({ code: 'ECONNRESET' });
    expect(report).toMatchObject({
      ok: true,
      stopped: ['api'],
      details: { api: { inFlight: 1, drained: 0, destroyed: 1 } },
    });
  });

  it('keeps the request in flight until the drain deadline, not a moment less', async () => {
    const { app, clock, gate, port } = await started();
    const agent = agents.keepAlive();
    const slow = request(port, '/slow', agent);
    await gate.arrived(1);
    const stopping = serverStopping(app);

    const stopped = app.stop();
    await stopping;
    await clock.advance('1999ms');
    gate.release();

    expect((await slow).status).toBe(200);
    expect((await stopped).details.api).toEqual({ inFlight: 1, drained: 1, destroyed: 0 });
  });

  it('is not ready before it stops accepting, and serves requests normally during the drain delay', async () => {
    const { app, clock, port } = await started({ drainDelay: '5s' });

    const stopped = app.stop();
    const health: HealthReport = await app.health();
    const duringDelay = await request(port, '/during-delay', agents.keepAlive());
    await clock.advance('5s');
    await stopped;
    const afterStop = await request(port, '/after', agents.keepAlive()).catch((error: NodeJS.ErrnoException) => error);

    expect(health).toMatchObject({ ready: false, state: 'stopping' });
    expect([duringDelay.status, duringDelay.body]).toEqual([200, 'answer to /during-delay']);
    expect(afterStop).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('serves a Fastify instance through its server, and closes it after the drain so that its onClose hooks run', async () => {
    const closedHooks: string[] = [];
    @Component({ name: 'fastify-api' })
    class FastifyApi extends GracefulHttpServer {
      constructor() {
        super({ host: '127.0.0.1' });
      }
      protected handler() {
        const fastify = Fastify();
        fastify.get('/ping', async () => 'pong');
        fastify.addHook('onClose', async () => void closedHooks.push('onClose'));
        return fastify;
      }
    }
    const { app } = await appOf([FastifyApi]);
    await app.start();

    const reply = await request(app.get(FastifyApi).port, '/ping', agents.keepAlive());
    const report = await app.stop();

    expect([reply.status, reply.body]).toEqual([200, 'pong']);
    expect(closedHooks).toEqual(['onClose']);
    expect(report.details['fastify-api']).toEqual({ inFlight: 0, drained: 0, destroyed: 0 });
  });

  it('fails the start naming the class when handler() returns something it cannot serve', async () => {
    @Component({ name: 'broken' })
    class Broken extends GracefulHttpServer {
      protected handler() {
        return { routes: [] } as never;
      }
    }
    const { app } = await appOf([Broken]);

    const error = await app.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StartupError);
    expect(OrdoError.is((error as StartupError).cause, 'ORDO_INVALID_OPTION')).toBe(true);
    expect((error as StartupError).message).toContain('Broken.handler() returned { routes }');
  });

  it('fails the start naming the component when its port is taken', async () => {
    const { app: first, port } = await started();
    @Component({ name: 'second-api' })
    class SecondApi extends GracefulHttpServer {
      constructor() {
        super({ host: '127.0.0.1', port });
      }
      protected handler() {
        return () => undefined;
      }
    }
    const { app } = await appOf([SecondApi]);

    const error = (await app.start().catch((e: unknown) => e)) as StartupError;
    await first.stop();

    expect(error).toMatchObject({ code: 'ORDO_START_FAILED', component: 'second-api', cause: { code: 'EADDRINUSE' } });
  });

  it('refuses a drainTimeout that is not a duration, naming the option', async () => {
    @Component({ name: 'bad-drain' })
    class BadDrain extends GracefulHttpServer {
      constructor() {
        super({ drainTimeout: '10 seconds' });
      }
      protected handler() {
        return () => undefined;
      }
    }
    const { app } = await appOf([BadDrain]);

    const error = (await app.start().catch((e: unknown) => e)) as StartupError;

    expect(OrdoError.is(error.cause, 'ORDO_INVALID_OPTION')).toBe(true);
    expect(error.message).toContain("BadDrain's GracefulHttpServer options: drainTimeout:");
  });

  it('refuses a port out of range, naming the class and the option', async () => {
    @Component({ name: 'bad-port' })
    class BadPort extends GracefulHttpServer {
      constructor() {
        super({ port: 70_000 });
      }
      protected handler() {
        return () => undefined;
      }
    }
    const { app } = await appOf([BadPort]);

    const error = (await app.start().catch((e: unknown) => e)) as StartupError;

    expect(OrdoError.is(error.cause, 'ORDO_INVALID_OPTION')).toBe(true);
    expect(error.message).toContain("BadPort's GracefulHttpServer options: port must be an integer from 0 to 65535");
  });
});
