/**
 * The server side of bench/http.ts, run in a child process of its own so that the load generator's CPU is not
 * counted: a node:http server on loopback answering every request with the same small JSON body, in one of three
 * ways (see {@link HttpSide}). It reports its port over IPC, then answers each `measure` message with its CPU time
 * and the requests it has served so far.
 *
 * Usage (bench/http.ts does this): `node .build/bench/http-server.js <side>`, forked with an IPC channel.
 */
import { createServer, type RequestListener } from 'node:http';
import { type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Container, inject, injectable } from 'inversify';
import { Logger, Ordo, SilentLogger, Task } from '../src/index.js';

/** The three ways of answering: no framework, an Ordo request scope, a child inversify container per request. */
export type HttpSide = 'plain' | 'ordo' | 'child-container';

/** Every side's answer: three lookups, as JSON. */
export const EXPECTED_BODY = JSON.stringify({ user: 1, account: 2, flags: 3 });

/** What the server sends its parent. */
export type ServerMessage =
  { kind: 'listening'; port: number } | { kind: 'measured'; cpuMicros: number; served: number; failed: number };

/** What the parent sends the server. */
export type ParentMessage = { kind: 'measure' } | { kind: 'exit' };

/** The upstream all three lookups call: an already-settled promise, so that only the request's own work is timed. */
@injectable()
class Backend {
  load(value: number): Promise<number> {
    return Promise.resolve(value);
  }
}

/** Ordo's side: three `@Task` methods, memoized in the request's scope; `account` reuses `user`'s result. */
@injectable()
class Profile {
  constructor(@inject(Backend) private readonly backend: Backend) {}

  @Task() async user(id: number): Promise<number> {
    return this.backend.load(id);
  }

  @Task() async account(id: number): Promise<number> {
    return (await this.user(id)) + 1;
  }

  @Task() async flags(): Promise<number> {
    return this.backend.load(3);
  }
}

/** Request data bound in each request's child container, as inversify-express-utils binds its HttpContext. */
const REQUEST = Symbol('request');

/** The peer's request-scoped service: the same three lookups, memoized in `Map`s of its own. */
@injectable()
class RequestProfile {
  readonly #users = new Map<number, Promise<number>>();
  readonly #accounts = new Map<number, Promise<number>>();
  #flags: Promise<number> | undefined;

  constructor(
    @inject(Backend) private readonly backend: Backend,
    @inject(REQUEST) readonly request: { readonly url: string },
  ) {}

  user(id: number): Promise<number> {
    let promise = this.#users.get(id);
    if (promise === undefined) {
      promise = this.backend.load(id);
      this.#users.set(id, promise);
    }
    return promise;
  }

  account(id: number): Promise<number> {
    let promise = this.#accounts.get(id);
    if (promise === undefined) {
      promise = this.user(id).then((user) => user + 1);
      this.#accounts.set(id, promise);
    }
    return promise;
  }

  flags(): Promise<number> {
    this.#flags ??= this.backend.load(3);
    return this.#flags;
  }
}

const served = { ok: 0, failed: 0 };

function answer(res: Parameters<RequestListener>[1], body: string): void {
  if (body === EXPECTED_BODY) served.ok++;
  else served.failed++;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function fail(res: Parameters<RequestListener>[1]): void {
  served.failed++;
  res.writeHead(500).end();
}

async function handlerFor(side: HttpSide): Promise<RequestListener> {
  if (side === 'plain') {
    return (_req, res) => answer(res, JSON.stringify({ user: 1, account: 2, flags: 3 }));
  }
  if (side === 'ordo') {
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(Backend).toSelf();
    container.bind(Profile).toSelf();
    const app = await Ordo.create(container, { overrides: [[Logger, new SilentLogger()]] });
    await app.start();
    const profile = app.get(Profile);
    return (_req, res) => {
      app
        .runInScope(async () => {
          const [user, account, flags] = await Promise.all([profile.user(1), profile.account(1), profile.flags()]);
          return JSON.stringify({ user, account, flags });
        })
        .then(
          (body) => answer(res, body),
          () => fail(res),
        );
    };
  }
  const parent = new Container();
  parent.bind(Backend).toConstantValue(new Backend());
  parent.bind(RequestProfile).toSelf().inTransientScope();
  return (req, res) => {
    const child = new Container({ parent });
    child.bind(REQUEST).toConstantValue({ url: req.url ?? '/' });
    const profile = child.get(RequestProfile);
    Promise.all([profile.user(1), profile.account(1), profile.flags()]).then(
      ([user, account, flags]) => answer(res, JSON.stringify({ user, account, flags })),
      () => fail(res),
    );
  };
}

async function serve(side: HttpSide): Promise<void> {
  const server = createServer(await handlerFor(side));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const send = (message: ServerMessage): void => void process.send!(message);
  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'exit') {
      server.closeAllConnections();
      server.close(() => process.exit(0));
      return;
    }
    const cpu = process.cpuUsage();
    send({ kind: 'measured', cpuMicros: cpu.user + cpu.system, served: served.ok, failed: served.failed });
  });
  send({ kind: 'listening', port: (server.address() as AddressInfo).port });
}

const SIDES: readonly HttpSide[] = ['plain', 'ordo', 'child-container'];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const side = process.argv[2] as HttpSide;
  if (!SIDES.includes(side) || process.send === undefined) {
    throw new Error(`http-server: expected a side (${SIDES.join(', ')}) and an IPC channel; got ${String(side)}`);
  }
  await serve(side);
}
