import { injectable } from 'inversify';
import {
  Clock,
  Component,
  HealthCheck,
  OnStart,
  OnStop,
  VirtualClock,
  override,
  type HealthResult,
} from '../../src/index.js';
import { readComponent } from '../../src/core/internal.js';
import { Journal, appOf } from '../support/app-fixtures.js';

// The `@ts-expect-error` lines below are the specification of the types: `tsc --noEmit` (part of `npm test`)
// fails if one of them compiles.

@injectable()
class Mailer {
  send(to: string): string {
    return `sent to ${to}`;
  }
}

describe('override()', () => {
  it('binds the value in place of what the identifier names', async () => {
    const fake: Mailer = { send: (to) => `faked for ${to}` };
    const { app } = await appOf([Mailer], { overrides: [override(Mailer, fake)] });

    expect(app.get(Mailer).send('ann')).toBe('faked for ann');
  });

  it('refuses at compile time a value of another shape than the identifier names', () => {
    const pairs = [
      override(Clock, new VirtualClock()),
      // @ts-expect-error a Mailer is not a Clock
      override(Clock, new Mailer()),
      // @ts-expect-error send must take a string and return one
      override(Mailer, { send: (to: number) => to }),
      // @ts-expect-error a string identifier carries no type, but one given explicitly is checked
      override<{ url: string }>('Config', { url: 42 }),
    ];

    expect(pairs.map(([id]) => id)).toEqual([Clock, Clock, Mailer, 'Config']);
  });

  it('drops a component replaced by a plain-object fake from the start order and the health report', async () => {
    const journal = new Journal();
    @Component()
    class PgPool {
      @OnStart() start() {
        journal.record('start:PgPool');
      }
      @HealthCheck() check() {
        return 'down' as const;
      }
      query(): number {
        return 1;
      }
    }
    @Component()
    class Api {
      constructor(readonly pool: PgPool) {}
      @OnStart() start() {
        journal.record(`start:Api:${this.pool.query()}`);
      }
    }
    const fake: PgPool = { start: () => journal.record('fake start'), check: () => 'down', query: () => 2 };
    const { app } = await appOf([PgPool, Api], { overrides: [override(PgPool, fake)] });

    await app.start();
    const health = await app.health();
    await app.stop();

    expect({ order: app.startOrder, journal: journal.entries, checks: Object.keys(health.checks) }).toEqual({
      order: [['Api']],
      journal: ['start:Api:2'],
      checks: [],
    });
  });

  it('keeps a component replaced by an instance of its class in the start order and the health report', async () => {
    @Component()
    class PgPool {
      constructor(readonly url = 'pg://test') {}
      @HealthCheck() check() {
        return 'up' as const;
      }
    }
    const { app } = await appOf([PgPool], { overrides: [override(PgPool, new PgPool('pg://fake'))] });

    await app.start();
    const health = await app.health();
    await app.stop();

    expect({ order: app.startOrder, checks: Object.keys(health.checks) }).toEqual({
      order: [['PgPool']],
      checks: ['PgPool'],
    });
  });
});

describe('hook decorators', () => {
  it('accept hooks with or without the signal, synchronous or not, returning a value or not, and checks answering a HealthResult', async () => {
    const journal = new Journal();
    @Component()
    class Database {
      @OnStart() async connect(signal: AbortSignal): Promise<void> {
        journal.record(`connect:${signal.aborted}`);
      }
      @OnStop() close() {
        journal.record('close');
      }
      @HealthCheck() async check(): Promise<HealthResult> {
        return { status: 'degraded', details: { replicas: 1 } };
      }
    }
    @Component()
    class Cache {
      @OnStart() warm(signal?: AbortSignal) {
        journal.record(`warm:${signal instanceof AbortSignal}`);
      }
      @OnStop() async flush(_signal: AbortSignal) {
        journal.record('flush');
        return 'flushed';
      }
      @HealthCheck() check(signal: AbortSignal) {
        return signal.aborted ? 'down' : 'up';
      }
    }
    const { app } = await appOf([Database, Cache]);

    await app.start();
    const health = await app.health();
    await app.stop();

    expect({ journal: [...journal.entries].sort(), status: health.status }).toEqual({
      journal: ['close', 'connect:false', 'flush', 'warm:true'],
      status: 'degraded',
    });
  });

  it('refuse at compile time methods Ordo could not call as declared, and still record them for JavaScript', () => {
    class Misdeclared {
      // @ts-expect-error a health check answers 'up' | 'degraded' | 'down' or { status }, not a boolean
      @HealthCheck() healthy() {
        return true;
      }
      // @ts-expect-error a start hook is given an AbortSignal, not a port
      @OnStart() listen(port: number) {
        return port;
      }
      // @ts-expect-error a stop hook is given an AbortSignal, not a reason string
      @OnStop() async close(reason: string) {
        return reason;
      }
    }

    Component()(Misdeclared);

    expect([...readComponent(Misdeclared)!.hooks.entries()]).toEqual([
      ['health', 'healthy'],
      ['start', 'listen'],
      ['stop', 'close'],
    ]);
  });
});
