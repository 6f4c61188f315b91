/**
 * The server side of bench/http.ts, run in a child process of its own so that the load generator's CPU is not
 * counted: a server on loopback (node:http alone, Express 5 or Fastify 5, see {@link HttpFramework}) answering
 * every request with the same small JSON body, in one of three ways (see {@link HttpSide}). It reports its port over
 * IPC, then answers each `measure` message with its CPU time and the requests it has served so far.
 *
 * Usage (bench/http.ts does this): `node .build/bench/http-server.js <framework> <side>`, forked with an IPC channel.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type RequestListener, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import Fastify, { type FastifyReply } from 'fastify';
import { Container, inject, injectable } from 'inversify';
import { type App, Logger, Ordo, SilentLogger, Task } from '../src/index.js';
import { withOrdoScope } from '../src/http/index.js';
import { ordoScope } from '../src/http/express.js';
import { ordoFastify } from '../src/http/fastify.js';

/**
 * The ways of answering: a plain handler; the same inside an AsyncLocalStorage context per request (what a
 * request-id logger or OpenTelemetry adds, and the part of Ordo's cost that is Node's); an Ordo request scope; a
 * child inversify container per request.
 */
export type HttpSide = 'plain' | 'plain-als' | 'ordo' | 'child-container';

/**
 * What serves the requests: node:http alone (the Ordo side through `withOrdoScope(app, handler)`), Express 5 (through
 * `ordoScope(app)`) or Fastify 5 (through the `ordoFastify` plugin).
 */
export type HttpFramework = 'node' | 'express' | 'fastify';

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

/** The plain side's service: the same three lookups straight to the backend, no memo and no scope. */
class PlainProfile {
  constructor(private readonly backend: Backend) {}

  async user(id: number): Promise<number> {
    return this.backend.load(id);
  }

  async account(id: number): Promise<number> {
    return (await this.user(id)) + 1;
  }

  async flags(): Promise<number> {
    return this.backend.load(3);
  }
}

const plainProfile = new PlainProfile(new Backend());

/**
 * The plain-als side's context: one store per request, as a request-id logger keeps. Node 20's AsyncLocalStorage
 * tracks every promise and async resource of the process once a context is entered, so this is the part of a
 * request scope's cost that any async-context user pays.
 */
const requestContext = new AsyncLocalStorage<{ readonly url: string }>();

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

/** Counts an answer as right or wrong before it is sent: every side checks its body the same way. */
function count(body: string): void {
  if (body === EXPECTED_BODY) served.ok++;
  else served.failed++;
}

function answer(res: ServerResponse, body: string): void {
  count(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function fail(res: ServerResponse): void {
  served.failed++;
  res.writeHead(500).end();
}

function answerReply(reply: FastifyReply, body: string): FastifyReply {
  count(body);
  return reply.header('content-type', 'application/json').send(body);
}

/** The Ordo side's app and its service with three `@Task` methods. */
async function ordoApp(): Promise<{ app: App; profile: Profile }> {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Backend).toSelf();
  container.bind(Profile).toSelf();
  const app = await Ordo.create(container, { overrides: [[Logger, new SilentLogger()]] });
  await app.start();
  return { app, profile: app.get(Profile) };
}

async function lookups(profile: Profile | RequestProfile | PlainProfile): Promise<string> {
  const [user, account, flags] = await Promise.all([profile.user(1), profile.account(1), profile.flags()]);
  return JSON.stringify({ user, account, flags });
}

/** The peer's parent container; each request gets a child of it. */
function childContainers(): (url: string) => RequestProfile {
  const parent = new Container();
  parent.bind(Backend).toConstantValue(new Backend());
  parent.bind(RequestProfile).toSelf().inTransientScope();
  return (url) => {
    const child = new Container({ parent });
    child.bind(REQUEST).toConstantValue({ url });
    return child.get(RequestProfile);
  };
}

async function nodeHandler(side: HttpSide): Promise<RequestListener> {
  if (side === 'plain' || side === 'plain-als') {
    const handler: RequestListener = (_req, res) => {
      lookups(plainProfile).then(
        (body) => answer(res, body),
        () => fail(res),
      );
    };
    if (side === 'plain') return handler;
    return (req, res) => requestContext.run({ url: req.url ?? '/' }, handler, req, res);
  }
  if (side === 'ordo') {
    const { app, profile } = await ordoApp();
    return withOrdoScope(app, (_req, res) => {
      lookups(profile).then(
        (body) => answer(res, body),
        () => fail(res),
      );
    });
  }
  const profileFor = childContainers();
  return (req, res) => {
    lookups(profileFor(req.url ?? '/')).then(
      (body) => answer(res, body),
      () => fail(res),
    );
  };
}

async function expressHandler(side: HttpSide): Promise<RequestListener> {
  const api = express();
  if (side === 'plain' || side === 'plain-als') {
    if (side === 'plain-als') api.use((req, _res, next) => requestContext.run({ url: req.url }, next));
    api.get('/', async (_req, res) => answer(res, await lookups(plainProfile)));
  } else if (side === 'ordo') {
    const { app, profile } = await ordoApp();
    api.use(ordoScope(app));
    api.get('/', async (_req, res) => answer(res, await lookups(profile)));
  } else {
    const profileFor = childContainers();
    api.get('/', async (req, res) => answer(res, await lookups(profileFor(req.url))));
  }
  api.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => fail(res));
  return api;
}

/** A Fastify instance listening on loopback, and its port. */
async function fastifyServer(side: HttpSide): Promise<{ port: number; close(): Promise<void> }> {
  const api = Fastify();
  if (side === 'plain' || side === 'plain-als') {
    if (side === 'plain-als')
      api.addHook('onRequest', (req, _reply, next) => requestContext.run({ url: req.url }, next));
    api.get('/', async (_req, reply) => answerReply(reply, await lookups(plainProfile)));
  } else if (side === 'ordo') {
    const { app, profile } = await ordoApp();
    await api.register(ordoFastify, { app });
    api.get('/', async (_req, reply) => answerReply(reply, await lookups(profile)));
  } else {
    const profileFor = childContainers();
    api.get('/', async (req, reply) => answerReply(reply, await lookups(profileFor(req.url))));
  }
  api.setErrorHandler((_error, _req, reply) => {
    served.failed++;
    return reply.code(500).send();
  });
  await api.listen({ port: 0, host: '127.0.0.1' });
  return { port: (api.server.address() as AddressInfo).port, close: () => api.close() };
}

/** Listens with `framework` answering as `side`; resolves with the port and a way to stop. */
async function listen(framework: HttpFramework, side: HttpSide): Promise<{ port: number; close(): Promise<void> }> {
  if (framework === 'fastify') return fastifyServer(side);
  const server = createServer(framework === 'express' ? await expressHandler(side) : await nodeHandler(side));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(framework: HttpFramework, side: HttpSide): Promise<void> {
  const server = await listen(framework, side);
  const send = (message: ServerMessage): void => void process.send!(message);
  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'exit') {
      void server.close().then(() => process.exit(0));
      return;
    }
    const cpu = process.cpuUsage();
    send({ kind: 'measured', cpuMicros: cpu.user + cpu.system, served: served.ok, failed: served.failed });
  });
  send({ kind: 'listening', port: server.port });
}

const SIDES: readonly HttpSide[] = ['plain', 'plain-als', 'ordo', 'child-container'];
const FRAMEWORKS: readonly HttpFramework[] = ['node', 'express', 'fastify'];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const framework = process.argv[2] as HttpFramework;
  const side = process.argv[3] as HttpSide;
  if (!FRAMEWORKS.includes(framework) || !SIDES.includes(side) || process.send === undefined) {
    throw new Error(
      `http-server: expected a framework (${FRAMEWORKS.join(', ')}), a side (${SIDES.join(', ')}) and an IPC ` +
        `channel; got ${String(framework)} ${String(side)}`,
    );
  }
  await serve(framework, side);
}
