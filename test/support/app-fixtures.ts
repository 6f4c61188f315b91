import { Container } from 'inversify';
import { Clock, Logger, Ordo, SilentLogger, VirtualClock, type App, type CreateOptions } from '../../src/index.js';

export { deferred } from './task-helpers.js';

/** Records what hooks ran, in order, for assertions. */
export class Journal {
  readonly entries: string[] = [];
  record(entry: string): void {
    this.entries.push(entry);
  }
  of(prefix: string): string[] {
    return this.entries.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length));
  }
}

/** A container that binds singletons by default, with a silent logger and the given journal. */
export function testContainer(journal = new Journal()): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Journal).toConstantValue(journal);
  container.bind(Logger).toConstantValue(new SilentLogger());
  return container;
}

/** Creates an app on a VirtualClock from the given component classes. */
export async function appOf(
  classes: Array<new (...args: never[]) => unknown>,
  options: CreateOptions & { journal?: Journal; clock?: VirtualClock } = {},
): Promise<{ app: App; clock: VirtualClock; journal: Journal }> {
  const journal = options.journal ?? new Journal();
  const clock = options.clock ?? new VirtualClock();
  const container = testContainer(journal);
  for (const type of classes) container.bind(type).toSelf();
  const app = await Ordo.create(container, { ...options, overrides: [[Clock, clock], ...(options.overrides ?? [])] });
  return { app, clock, journal };
}

/** Settles `promise`, advancing the clock by `step` until it does (at most `limit` steps). */
export async function settleWith<T>(clock: VirtualClock, promise: Promise<T>, step = '1s', limit = 1000): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < limit && !done; i++) await clock.advance(step);
  return promise;
}
