import { inject } from 'inversify';
import { App, Background, Component, type AppEventMap } from '../../../src/index.js';
import { GracefulHttpServer, withOrdoScope } from '../../../src/http/index.js';
import { appOf } from '../../support/app-fixtures.js';
import { Agents, request } from './server-fixtures.js';

/** Holds `/register` requests until `release()`; each then hands follow-up work to `Background.after()`. */
class Hold {
  arrived!: () => void;
  readonly arrival = new Promise<void>((resolve) => (this.arrived = resolve));
  release!: () => void;
  readonly released = new Promise<void>((resolve) => (this.release = resolve));
  readonly followUps: string[] = [];
}

@Component({ name: 'api' })
class Api extends GracefulHttpServer {
  constructor(
    @inject(App) private readonly app: App,
    @inject(Background) private readonly background: Background,
    @inject(Hold) private readonly hold: Hold,
  ) {
    super({ host: '127.0.0.1' });
  }
  protected handler() {
    return withOrdoScope(this.app, async (_request, response) => {
      this.hold.arrived();
      await this.hold.released;
      this.background.after('follow-up', async () => void this.hold.followUps.push('done'));
      response.writeHead(200).end('registered');
    });
  }
}

describe('the order of a stop with a graceful server', () => {
  const agents = new Agents();
  afterEach(() => agents.destroyAll());

  it('drains the server before background work, so that a request in flight at the stop can still hand work to after()', async () => {
    const hold = new Hold();
    let appRef!: App;
    const { app } = await appOf([Api], {
      overrides: [
        [Hold, hold],
        ['app', () => appRef],
      ],
    });
    appRef = app;
    await app.start();
    const reply = request(app.get(Api).port, '/register', agents.keepAlive());
    await hold.arrival;
    const stopping = new Promise<void>((resolve) =>
      app.events.on(
        'component:stopping',
        ({ name }: AppEventMap['component:stopping'][0]) => name === 'api' && resolve(),
      ),
    );

    const stopped = app.stop();
    await stopping;
    hold.release();
    const answer = await reply;
    const report = await stopped;

    expect([answer.status, answer.body]).toEqual([200, 'registered']);
    expect(hold.followUps).toEqual(['done']);
    expect(report.ok).toBe(true);
  });
});
