/**
 * One HTTP request end to end: a server on loopback (bench/http-server.ts, in a child process of its own) under
 * autocannon (in this process), on node:http alone, Express 5 and Fastify 5, each answering with three lookups in
 * three ways:
 *
 * - a plain handler making the same three lookups straight to the backend, with no memo and no scope;
 * - the same plain handler inside an AsyncLocalStorage context per request, as a request-id logger or
 *   OpenTelemetry runs it: on Node 20 that context alone costs every promise of the process a hook, which is
 *   the part of Ordo's overhead that is Node's and not Ordo's code;
 * - Ordo's request scope + 3 `@Task` calls (one reusing another's result), memoized in the request's scope: through
 *   `withOrdoScope(app, handler)` on node:http, `ordoScope(app)` on Express, the `ordoFastify` plugin on Fastify;
 * - a child inversify container per request, with a request-scoped service memoizing the same calls in `Map`s —
 *   what request scoping looks like in inversify and NestJS.
 *
 * The figure is the server process's CPU time (`process.cpuUsage()`: user + system, every thread) per request
 * served, over a timed window after a warm-up; the load generator's CPU is not counted. Each sample is a fresh
 * server process; each round runs every side once, the side going first rotating from round to round. Every
 * sample checks that autocannon saw no errors, non-2xx answers or unexpected bodies, and that the server answered
 * every request with the expected body.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import {
  EXPECTED_BODY,
  type HttpFramework,
  type HttpSide,
  type ParentMessage,
  type ServerMessage,
} from './http-server.js';
import { type BenchRow, median } from './report.js';

/** Seconds of load before the timed window: the server's code is compiled and its heap has settled. */
const WARM_UP_SECONDS = 0.5;
/** Seconds of load in the timed window. */
const MEASURE_SECONDS = 3;
/** Rounds of every framework and side: 3 × 12 samples of about 4.5 s each (a server start included) keep the module near 3 minutes. */
const ROUNDS = 3;
const CONNECTIONS = 10;

const SIDES: readonly HttpSide[] = ['plain', 'plain-als', 'ordo', 'child-container'];
const FRAMEWORKS: readonly HttpFramework[] = ['node', 'express', 'fastify'];
const FRAMEWORK_NAMES: Record<HttpFramework, string> = {
  node: 'node:http',
  express: 'Express 5',
  fastify: 'Fastify 5',
};
/** What the Ordo side is on each framework. */
const ORDO_SIDE: Record<HttpFramework, string> = {
  node: 'withOrdoScope(app, handler)',
  express: 'ordoScope(app)',
  fastify: 'ordoFastify',
};
const SERVER = fileURLToPath(new URL('./http-server.js', import.meta.url));

/**
 * Where the server and the load generator run when the machine has two cores or more and `taskset` (Linux): apart,
 * each on a core of its own, so that neither's scheduling shows up in the other's figure. Without, they share.
 */
const SERVER_CORE = 1;
const LOAD_CORE = 0;

/** Pins every thread of `pid` to `cores` (one, or a list as taskset reads it), if `taskset` is there and the machine has the core; else leaves it be. */
function pin(pid: number | undefined, cores: number | string): void {
  if (pid === undefined || availableParallelism() < 2) return;
  try {
    execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', String(cores), String(pid)], { stdio: 'ignore' });
  } catch {
    // No taskset (not Linux, or not installed): the figures are noisier, not wrong.
  }
}

interface Measured {
  cpuMicros: number;
  served: number;
  failed: number;
}

/** A server process of one side, and a way to ask it for its CPU time and count. */
class Server {
  readonly #child: ChildProcess;
  readonly #replies: Array<(message: Measured) => void> = [];

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (message: ServerMessage) => {
      if (message.kind === 'measured') this.#replies.shift()?.(message);
    });
  }

  static async start(framework: HttpFramework, side: HttpSide): Promise<{ server: Server; port: number }> {
    const child = fork(SERVER, [framework, side], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    pin(child.pid, SERVER_CORE);
    const server = new Server(child);
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`the ${framework} ${side} server exited with ${code} before listening`)),
      );
      child.on('message', (message: ServerMessage) => {
        if (message.kind === 'listening') resolve(message.port);
      });
    });
    return { server, port };
  }

  measure(): Promise<Measured> {
    return new Promise((resolve) => {
      this.#replies.push(resolve);
      this.#send({ kind: 'measure' });
    });
  }

  async exit(): Promise<void> {
    const exited = once(this.#child, 'exit');
    this.#send({ kind: 'exit' });
    await exited;
  }

  #send(message: ParentMessage): void {
    this.#child.send(message);
  }
}

async function load(port: number, seconds: number, side: string): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: CONNECTIONS,
    duration: seconds,
    expectBody: EXPECTED_BODY,
  });
  if (result.errors + result.timeouts + result.non2xx + result.mismatches > 0) {
    throw new Error(
      `autocannon against the ${side} server: ${result.errors} errors, ${result.timeouts} timeouts, ` +
        `${result.non2xx} non-2xx answers, ${result.mismatches} unexpected bodies`,
    );
  }
  return result.requests.total;
}

/** One sample: a fresh server of `side`, warmed up, then its CPU microseconds per request over the timed window. */
async function sample(framework: HttpFramework, side: HttpSide): Promise<{ micros: number; rate: number }> {
  const { server, port } = await Server.start(framework, side);
  const label = `${framework} ${side}`;
  try {
    await load(port, WARM_UP_SECONDS, label);
    const before = await server.measure();
    const sent = await load(port, MEASURE_SECONDS, label);
    const after = await server.measure();
    const served = after.served - before.served;
    if (after.failed > 0 || served < sent) {
      throw new Error(`the ${label} server answered ${served} of ${sent} requests right, and ${after.failed} wrong`);
    }
    return { micros: (after.cpuMicros - before.cpuMicros) / served, rate: sent / MEASURE_SECONDS };
  } finally {
    await server.exit();
  }
}

const range = (values: readonly number[], digits: number): string =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

type Samples = Record<HttpSide, number[]>;
const emptySamples = (): Samples => ({ plain: [], 'plain-als': [], ordo: [], 'child-container': [] });

/**
 * Three rows per framework: Ordo's request against a child container per request, against a plain handler, and
 * against the plain handler in an AsyncLocalStorage context; the notes give requests per second, Ordo's overhead
 * (its CPU per request minus the plain handler's, per round) against the child container's, and how much of it the
 * async context alone accounts for.
 */
export async function benchmarks(): Promise<BenchRow[]> {
  pin(process.pid, LOAD_CORE);
  try {
    return await measureAll();
  } finally {
    // The modules measured after this one get the whole machine back.
    pin(process.pid, `0-${availableParallelism() - 1}`);
  }
}

async function measureAll(): Promise<BenchRow[]> {
  const micros = Object.fromEntries(FRAMEWORKS.map((f) => [f, emptySamples()])) as Record<HttpFramework, Samples>;
  const rates = Object.fromEntries(FRAMEWORKS.map((f) => [f, emptySamples()])) as Record<HttpFramework, Samples>;
  const order = FRAMEWORKS.flatMap((framework) => SIDES.map((side) => ({ framework, side })));
  for (let round = 0; round < ROUNDS; round++) {
    for (let turn = 0; turn < order.length; turn++) {
      // The sample going first rotates, and the sides of one framework are never all at the same place in a round.
      const { framework, side } = order[(round * (SIDES.length + 1) + turn) % order.length]!;
      const measured = await sample(framework, side);
      micros[framework][side].push(measured.micros);
      rates[framework][side].push(measured.rate);
    }
  }
  return FRAMEWORKS.flatMap((framework) => rowsOf(framework, micros[framework], rates[framework]));
}

function rowsOf(framework: HttpFramework, micros: Samples, rates: Samples): BenchRow[] {
  const name = FRAMEWORK_NAMES[framework];
  const perRound = (a: HttpSide, b: HttpSide): number[] => micros[a].map((value, round) => value / micros[b][round]!);
  const overhead = (side: HttpSide): number[] => micros[side].map((value, round) => value - micros.plain[round]!);
  const ordoOverhead = overhead('ordo');
  const childOverhead = overhead('child-container');
  const cheaper = childOverhead.map((child, round) => child / ordoOverhead[round]!);
  const contextOverhead = overhead('plain-als');
  const ownOverhead = ordoOverhead.map((ordo, round) => ordo - contextOverhead[round]!);
  const figures =
    `server CPU per request over ${ROUNDS} rounds (${MEASURE_SECONDS} s under autocannon, ${CONNECTIONS} connections, ` +
    `after ${WARM_UP_SECONDS} s of warm-up, a fresh server each): plain ${range(micros.plain, 1)} µs, ` +
    `plain in an AsyncLocalStorage context ${range(micros['plain-als'], 1)} µs, ` +
    `Ordo ${range(micros.ordo, 1)} µs, child container ${range(micros['child-container'], 1)} µs; requests/s ` +
    `plain ${range(rates.plain, 0)}, Ordo ${range(rates.ordo, 0)}, child container ${range(rates['child-container'], 0)}`;
  return [
    {
      benchmark: `HTTP request on ${name}: ${ORDO_SIDE[framework]} + 3 @Task calls`,
      ordo: median(micros.ordo),
      peer: median(micros['child-container']),
      peerName: 'child inversify Container per request + service with Maps',
      unit: 'µs CPU',
      note:
        `${figures}; per-round ratio Ordo/child container ${range(perRound('ordo', 'child-container'), 2)}x, ` +
        `plain/child container ${range(perRound('plain', 'child-container'), 2)}x`,
    },
    {
      benchmark: `HTTP request on ${name}: ${ORDO_SIDE[framework]} + 3 @Task calls vs plain handler`,
      ordo: median(micros.ordo),
      peer: median(micros.plain),
      peerName: `plain ${name} handler`,
      unit: 'µs CPU',
      note:
        `same samples; per-round ratio Ordo/plain ${range(perRound('ordo', 'plain'), 2)}x; overhead over the plain ` +
        `handler: Ordo ${range(ordoOverhead, 1)} µs, child container ${range(childOverhead, 1)} µs, ` +
        `the child container's overhead ${range(cheaper, 1)}x Ordo's`,
    },
    {
      benchmark: `HTTP request on ${name}: ${ORDO_SIDE[framework]} + 3 @Task calls vs plain handler in an AsyncLocalStorage context`,
      ordo: median(micros.ordo),
      peer: median(micros['plain-als']),
      peerName: `plain ${name} handler inside AsyncLocalStorage.run per request`,
      unit: 'µs CPU',
      note:
        `same samples; of Ordo's overhead over the plain handler (median ${median(ordoOverhead).toFixed(1)} µs), ` +
        `the AsyncLocalStorage context alone is ${range(contextOverhead, 1)} µs (median ` +
        `${median(contextOverhead).toFixed(1)}), and Ordo's own code ${range(ownOverhead, 1)} µs (median ` +
        `${median(ownOverhead).toFixed(1)}); median overheads: child container ${median(childOverhead).toFixed(1)} µs, ` +
        `Ordo ${median(ordoOverhead).toFixed(1)} µs`,
    },
  ];
}
