import { Container, inject, injectable } from 'inversify';
import { Clock, Component, OnStart, Ordo, SilentLogger, Logger, SystemClock, VirtualClock } from '../../src/index.js';

@injectable()
class Reminder {
  constructor(@inject(Clock) readonly clock: Clock) {}
}

describe('the Clock token', () => {
  it('is what @inject(Clock) resolves, bound to any Clock', () => {
    const container = new Container();
    const clock = new VirtualClock();
    container.bind(Clock).toConstantValue(clock);
    container.bind(Reminder).toSelf();

    expect(container.get(Reminder).clock).toBe(clock);
  });

  it('can be rebound to a VirtualClock with container.rebind', () => {
    const container = new Container();
    container.bind(Clock).toConstantValue(new SystemClock());
    container.bind(Reminder).toSelf();
    const clock = new VirtualClock();

    container.rebind(Clock).toConstantValue(clock);

    expect(container.get(Reminder).clock).toBe(clock);
  });

  it('is bound to SystemClock by Ordo.create and rebindable between create() and start()', async () => {
    const seen: Clock[] = [];
    @Component()
    class UsesClock {
      constructor(@inject(Clock) private readonly clock: Clock) {}
      @OnStart() start() {
        seen.push(this.clock);
      }
    }
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(Logger).toConstantValue(new SilentLogger());
    container.bind(UsesClock).toSelf();
    const app = await Ordo.create(container);
    const bound = app.container.get(Clock);
    const clock = new VirtualClock();

    app.container.rebind(Clock).toConstantValue(clock);
    await app.start();

    expect({ bound: bound instanceof SystemClock, started: seen[0] }).toEqual({ bound: true, started: clock });
    await app.stop();
  });
});
