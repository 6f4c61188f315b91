import { inject } from 'inversify';
import { Background, Component, ConfigurationError, OnStop } from '../../src/index.js';
import { Journal, appOf } from '../support/app-fixtures.js';

describe('an ingress component', () => {
  it('stops before background work drains, so that work its stop hands to Background is still run', async () => {
    @Component({ ingress: true })
    class Consumer {
      constructor(
        @inject(Background) private readonly background: Background,
        @inject(Journal) private readonly journal: Journal,
      ) {}
      @OnStop() stop() {
        this.background.run('ack last batch', async () => this.journal.record('acked'));
      }
    }
    const { app, journal } = await appOf([Consumer]);
    await app.start();

    const report = await app.stop();

    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(journal.entries).toEqual(['acked']);
  });

  it('stops before every other component, even one that started after it', async () => {
    @Component({ ingress: true })
    class Api {
      constructor(@inject(Journal) private readonly journal: Journal) {}
      @OnStop() stop() {
        this.journal.record('stop:Api');
      }
    }
    @Component()
    class Cache {
      constructor(@inject(Journal) private readonly journal: Journal) {}
      @OnStop() stop() {
        this.journal.record('stop:Cache');
      }
    }
    @Component({ dependsOn: [Cache] })
    class Warmer {
      constructor(@inject(Journal) private readonly journal: Journal) {}
      @OnStop() stop() {
        this.journal.record('stop:Warmer');
      }
    }
    const { app, journal } = await appOf([Api, Cache, Warmer]);
    await app.start();

    await app.stop();

    expect(journal.entries).toEqual(['stop:Api', 'stop:Warmer', 'stop:Cache']);
  });

  it('is refused at create() when ingress is not a boolean, naming the class', async () => {
    @Component({ ingress: 'yes' as never })
    class Consumer {}

    const created = appOf([Consumer]);

    await expect(created).rejects.toThrow(ConfigurationError);
    await expect(created).rejects.toThrow(
      '@Component({ ingress }) of class Consumer: expected true or false, got "yes"',
    );
  });
});
