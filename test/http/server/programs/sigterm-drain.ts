// A service sent SIGTERM while requests are in flight (see sigterm-drain.test.ts). It follows the README:
// `app.enableShutdownHooks(); await app.start()`. `/slow` requests are answered 400 ms after the stop began (past the
// drain delay, if any), `/readyz` answers the app's readiness, anything else at once. With a drain delay as its
// argument (`1s`), the app waits that long after readiness turns false before the server stops accepting.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inject } from 'inversify';
import { App, Clock, Component, Module, Ordo, SilentLogger, Logger, parseDuration } from '../../../../src/index.js';
import { GracefulHttpServer } from '../../../../src/http/server/index.js';

const drainDelay = parseDuration(process.argv[2] ?? 0);
let arrived = 0;
const terminated = new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));

@Component({ name: 'api' })
class Api extends GracefulHttpServer {
  constructor(
    @inject(App) private readonly app: App,
    @inject(Clock) private readonly clock: Clock,
  ) {
    super({ host: '127.0.0.1', drainTimeout: '3s' });
  }

  protected handler() {
    return (request: IncomingMessage, response: ServerResponse) => void this.#answer(request, response);
  }

  async #answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.url === '/readyz') {
      const { ready } = await this.app.health();
      response.writeHead(ready ? 200 : 503).end(ready ? 'ready' : 'not ready');
      return;
    }
    if (request.url === '/slow') {
      console.log(`arrived ${++arrived}`);
      await terminated;
      await this.clock.sleep(drainDelay + 400);
    }
    response.writeHead(200).end(`answer to ${request.url}`);
  }
}

@Module({ components: [Api] })
class AppModule {}

const app = await Ordo.create(AppModule, {
  shutdownTimeout: '5s',
  drainDelay,
  overrides: [[Logger, new SilentLogger()]],
});
app.events.on('app:stopping', () => console.log('stopping'));
// Printed once the server's @OnStop has run up to its first await, by which time it no longer listens.
app.events.on('component:stopping', ({ name }) => name === 'api' && setImmediate(() => console.log('draining')));
app.events.on(
  'component:stopped',
  ({ name, details }) => name === 'api' && console.log(`drained ${JSON.stringify(details)}`),
);
app.enableShutdownHooks();
await app.start();
console.log(`listening ${app.get(Api).port}`);
