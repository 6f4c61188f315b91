import { Component, OnStop, stopDetails, type AppEventMap } from '../../src/index.js';
import { appOf } from '../support/app-fixtures.js';

describe('figures a component reports of its stop', () => {
  it('puts what an @OnStop resolves with through stopDetails() in the report, under the component name', async () => {
    @Component({ name: 'queue' })
    class Queue {
      @OnStop() async flush() {
        await Promise.resolve();
        return stopDetails({ flushed: 3, dropped: 0 });
      }
    }
    const { app } = await appOf([Queue]);
    await app.start();

    const report = await app.stop();

    expect(report).toMatchObject({ ok: true, stopped: ['queue'], details: { queue: { flushed: 3, dropped: 0 } } });
  });

  it('ignores any other value an @OnStop returns', async () => {
    @Component({ name: 'pool' })
    class Pool {
      @OnStop() end() {
        return Promise.resolve({ released: 10 });
      }
    }
    const { app } = await appOf([Pool]);
    await app.start();

    const report = await app.stop();

    expect(report.details).toEqual({});
  });

  it('hands the figures to the component:stopped event', async () => {
    @Component({ name: 'queue' })
    class Queue {
      @OnStop() flush() {
        return stopDetails({ flushed: 1 });
      }
    }
    const { app } = await appOf([Queue]);
    const events: Array<AppEventMap['component:stopped'][0]> = [];
    app.events.on('component:stopped', (event) => events.push(event));
    await app.start();

    await app.stop();

    expect(events).toEqual([{ name: 'queue', durationMs: 0, details: { flushed: 1 } }]);
  });
});
