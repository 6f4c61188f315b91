import { injectable } from 'inversify';
import { Task } from '../../src/index.js';
import { appOf } from '../support/app-fixtures.js';

@injectable()
class Lookup {
  calls = 0;

  @Task({ scope: 'app' }) async byId(id: number) {
    this.calls++;
    return id * 2;
  }

  @Task({ scope: 'app' }) async slow(_id: number) {
    this.calls++;
    return new Promise<number>(() => undefined);
  }
}

describe('the app-wide task memo', () => {
  it('keeps at most appTaskEntries results, dropping the least recently used', async () => {
    const { app } = await appOf([Lookup], { appTaskEntries: 2 });
    const lookup = app.get(Lookup);
    await app.start();

    await lookup.byId(1);
    await lookup.byId(2);
    await lookup.byId(1);
    await lookup.byId(3);
    const before = lookup.calls;
    await lookup.byId(1);
    await lookup.byId(2);

    expect({ before, after: lookup.calls }).toEqual({ before: 3, after: 4 });
    await app.stop();
  });

  it('aborts the runs still going when the app stops, and refuses new ones', async () => {
    const { app } = await appOf([Lookup]);
    const lookup = app.get(Lookup);
    await app.start();
    const inFlight = lookup.slow(1).catch((error: unknown) => error);

    await app.stop();

    await expect(inFlight).resolves.toMatchObject({ code: 'ORDO_STOPPED' });
    await expect(lookup.byId(9)).rejects.toMatchObject({ code: 'ORDO_STOPPED' });
  });
});
