import { Container, inject } from 'inversify';
import { App, Component } from '../../src/index.js';
import { appOf } from '../support/app-fixtures.js';

describe('the App', () => {
  it('is made by Ordo.create() only: its class cannot be constructed', () => {
    const make = () =>
      // @ts-expect-error App is abstract: only Ordo.create() makes one.
      new App(new Container(), { components: [], waves: [] });

    expect(typeof make).toBe('function');
  });

  it('is what Ordo.create() resolves to, and the token that injects it', async () => {
    @Component()
    class NeedsApp {
      constructor(@inject(App) readonly app: App) {}
    }
    const { app } = await appOf([NeedsApp]);

    await app.start();

    expect(app).toBeInstanceOf(App);
    expect(app.get(NeedsApp).app).toBe(app);
    await app.stop();
  });
});
