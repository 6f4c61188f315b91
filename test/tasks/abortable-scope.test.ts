import { Container, injectable } from 'inversify';
import { Clock, Logger, Ordo, SilentLogger, Task, VirtualClock, currentTaskScope, type App } from '../../src/index.js';
import { abortableScope } from '../../src/tasks/internal.js';
import { deferred, outcome } from '../support/task-helpers.js';

/** Tasks that wait until the test lets them go, recording the signal each run's body saw. */
@injectable()
class Slow {
  readonly gate = deferred();
  readonly signals = new Map<string, AbortSignal>();
  runs = 0;

  @Task() async load(name: string): Promise<string> {
    this.runs++;
    const signal = currentTaskScope()!.signal;
    this.signals.set(name, signal);
    await Promise.race([this.gate.promise, new Promise((resolve) => signal.addEventListener('abort', resolve))]);
    return signal.aborted ? 'aborted' : name;
  }

  @Task() async quick(name: string): Promise<string> {
    this.runs++;
    return name;
  }

  @Task({ scope: 'app' }) async shared(name: string): Promise<string> {
    this.runs++;
    const signal = currentTaskScope()!.signal;
    this.signals.set(`shared:${name}`, signal);
    await this.gate.promise;
    return name;
  }
}

async function started(): Promise<{ app: App; slow: Slow }> {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Slow).toSelf();
  const app = await Ordo.create(container, {
    overrides: [
      [Clock, new VirtualClock()],
      [Logger, new SilentLogger()],
    ],
  });
  await app.start();
  return { app, slow: app.get(Slow) };
}

describe('abortableScope(scope), the signal-free abort of a request scope the HTTP adapters use', () => {
  const reason = new Error('the client went away');

  it("aborts the running tasks' signals with the reason, and the call waiting on them rejects with it", async () => {
    const { app, slow } = await started();
    const scope = app.scope();
    const abort = abortableScope(scope);
    const waiting = outcome(scope.run(() => slow.load('a')));
    await Promise.resolve();

    abort(reason);

    expect(slow.signals.get('a')!.aborted).toBe(true);
    expect(slow.signals.get('a')!.reason).toBe(reason);
    expect(await waiting).toEqual({ status: 'rejected', reason });
  });

  it('refuses new runs with the reason once aborted, and still serves what completed before', async () => {
    const { app, slow } = await started();
    const scope = app.scope();
    const abort = abortableScope(scope);
    await scope.run(() => slow.quick('done'));

    abort(reason);
    const cached = await outcome(scope.run(() => slow.quick('done')));
    const refused = await outcome(scope.run(() => slow.quick('new')));

    expect(cached).toEqual({ status: 'fulfilled', value: 'done' });
    expect(refused).toEqual({ status: 'rejected', reason });
    expect(slow.runs).toBe(1);
  });

  it("aborts the scope's signal read before the abort, and makes the one read after it already aborted", async () => {
    const { app } = await started();
    const early = app.scope();
    const late = app.scope();
    const abortEarly = abortableScope(early);
    const abortLate = abortableScope(late);
    const readBefore = early.signal;

    abortEarly(reason);
    abortLate(reason);

    expect(readBefore.aborted).toBe(true);
    expect(readBefore.reason).toBe(reason);
    expect(late.signal.aborted).toBe(true);
    expect(late.signal.reason).toBe(reason);
  });

  it('keeps the first reason when aborted twice', async () => {
    const { app } = await started();
    const scope = app.scope();
    const abort = abortableScope(scope);

    abort(reason);
    abort(new Error('second'));

    expect(scope.signal.reason).toBe(reason);
  });

  it("makes the request leave an app-wide run it waits on, which goes on for another request's scope", async () => {
    const { app, slow } = await started();
    const leaving = app.scope();
    const abort = abortableScope(leaving);
    const staying = app.scope();
    const left = outcome(leaving.run(() => slow.shared('s')));
    const stays = staying.run(() => slow.shared('s'));
    await Promise.resolve();

    abort(reason);
    slow.gate.resolve();

    expect(await left).toEqual({ status: 'rejected', reason });
    expect(await stays).toBe('s');
    expect(slow.signals.get('shared:s')!.aborted).toBe(false);
    expect(slow.runs).toBe(1);
  });
});
