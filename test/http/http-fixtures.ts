import { AsyncLocalStorage } from 'node:async_hooks';
import { request as httpRequest, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject, injectable } from 'inversify';
import {
  Background,
  Clock,
  Ordo,
  Task,
  VirtualClock,
  currentTaskScope,
  type App,
  type CreateOptions,
} from '../../src/index.js';
import { settleWith, testContainer } from '../support/app-fixtures.js';
import { deferred, type Deferred } from '../support/task-helpers.js';

/** What the services saw: runs per key, signals of held runs, after() work, and gates the test opens. */
export class Probe {
  readonly runs = new Map<string, number>();
  readonly started = new Map<string, Deferred<void>>();
  readonly released = new Map<string, Deferred<void>>();
  readonly aborted = new Map<string, unknown>();
  /** Settled when the held run of a name ended, released or aborted. */
  readonly ended = new Map<string, Deferred<void>>();
  readonly after: Array<{ name: string; store: unknown; responseFinished: boolean }> = [];
  readonly afterStarted = deferred();
  /** Held open until the test lets after() work finish. */
  readonly afterGate = deferred();
  /** The error `Failing.fail()` throws, to compare by identity. */
  readonly failure = new Error('upstream answered 502');
  private serial = 0;

  /** Counts a run of `key` and returns a serial number unique to this run. */
  run(key: string): number {
    this.runs.set(key, (this.runs.get(key) ?? 0) + 1);
    return ++this.serial;
  }
  runsOf(key: string): number {
    return this.runs.get(key) ?? 0;
  }
  startedOf(name: string): Deferred<void> {
    let started = this.started.get(name);
    if (!started) this.started.set(name, (started = deferred()));
    return started;
  }
  endedOf(name: string): Deferred<void> {
    let ended = this.ended.get(name);
    if (!ended) this.ended.set(name, (ended = deferred()));
    return ended;
  }
  releaseOf(name: string): Deferred<void> {
    let released = this.released.get(name);
    if (!released) this.released.set(name, (released = deferred()));
    return released;
  }
}

/** An AsyncLocalStorage a test sets inside a request, to see that the request's async context reaches a callback. */
export const requestContext = new AsyncLocalStorage<string>();

/** Request-scoped tasks over the probe. */
@injectable()
export class Users {
  constructor(@inject(Probe) private readonly probe: Probe) {}

  /** A user; the serial number tells runs apart. */
  @Task() async get(id: string): Promise<{ id: string; run: number }> {
    return { id, run: this.probe.run(`user:${id}`) };
  }

  /** Waits until the test releases `name` or the run's signal aborts; records the abort reason. */
  @Task() async hold(name: string): Promise<string> {
    const signal = currentTaskScope()!.signal;
    this.probe.startedOf(name).resolve();
    await new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
      void this.probe.releaseOf(name).promise.then(resolve);
    });
    if (signal.aborted) this.probe.aborted.set(name, signal.reason);
    this.probe.endedOf(name).resolve();
    return signal.aborted ? 'aborted' : 'released';
  }

  /** Fails with the probe's error. */
  @Task() async fail(): Promise<never> {
    throw this.probe.failure;
  }
}

/** Defers work to the end of the request, recording what it saw when it started. */
@injectable()
export class FollowUp {
  constructor(
    @inject(Probe) private readonly probe: Probe,
    @inject(Background) private readonly background: Background,
  ) {}

  /** Defers `name` to the request's end; `finished` tells whether the response had finished when it started. */
  defer(name: string, finished: () => boolean): void {
    this.background.after(name, async () => {
      this.probe.after.push({ name, store: requestContext.getStore(), responseFinished: finished() });
      this.probe.afterStarted.resolve();
      await this.probe.afterGate.promise;
    });
  }
}

/** A started app on a VirtualClock with the probe's services bound. */
export async function httpApp(
  options: CreateOptions = {},
): Promise<{ app: App; clock: VirtualClock; probe: Probe; users: Users; followUp: FollowUp }> {
  const probe = new Probe();
  const clock = new VirtualClock();
  const container = testContainer();
  container.bind(Probe).toConstantValue(probe);
  container.bind(Users).toSelf();
  container.bind(FollowUp).toSelf();
  const app = await Ordo.create(container, { ...options, overrides: [[Clock, clock]] });
  await app.start();
  return { app, clock, probe, users: app.get(Users), followUp: app.get(FollowUp) };
}

/** Stops the app, letting its virtual clock run the drain. */
export async function stopApp(app: App, clock: VirtualClock): Promise<void> {
  await settleWith(clock, app.stop(), '100ms');
}

/** Listens on 127.0.0.1, a free port; returns the base URL. */
export function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

/** Closes `server` and every connection it still has. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Sends a GET with node's http client that the test can cut off with `destroy()`; errors of the cut are swallowed. */
export function openRequest(url: string): ClientRequest {
  const request = httpRequest(url, { agent: false });
  request.on('error', () => undefined);
  request.end();
  return request;
}

/** What one health probe answered. */
export interface ProbeAnswer {
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

/** What /livez, /readyz and /healthz answer at `root`, in that order. */
export function probeHealth(root: string): Promise<ProbeAnswer[]> {
  return Promise.all(
    ['/livez', '/readyz', '/healthz'].map(async (path) => {
      const response = await fetch(`${root}${path}`);
      return { path, status: response.status, body: await response.json() };
    }),
  );
}

/**
 * The health probes of `base` and of the app's own health server, while the app runs and again while it stops
 * within its drain delay (`drainDelay` on its virtual clock). The app has stopped when this returns.
 */
export async function probesAcrossStop(
  app: App,
  clock: VirtualClock,
  base: string,
  drainDelay: string,
): Promise<{
  running: ProbeAnswer[];
  runningThere: ProbeAnswer[];
  stopping: ProbeAnswer[];
  stoppingThere: ProbeAnswer[];
}> {
  const healthServer = await app.listenHealth();
  const running = await probeHealth(base);
  const runningThere = await probeHealth(healthServer.url);
  const stopped = app.stop();
  const stopping = await probeHealth(base);
  const stoppingThere = await probeHealth(healthServer.url);
  await clock.advance(drainDelay);
  await stopped;
  return { running, runningThere, stopping, stoppingThere };
}
