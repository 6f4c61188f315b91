/**
 * Memoized tasks against what people use or write instead, measured side by side in one process:
 *
 * - a cached hit — `task.run(scope, 1)` in a plain scope and in one with a ttl, `@Task()` methods with one argument
 *   and with none in a request scope, and an app-wide `@Task({ scope: 'app', ttl })` — against a hand-written
 *   `Map<key, Promise>` get-or-create, DataLoader 2's cached `load` and a p-memoize 8 function; every call is
 *   awaited, as callers do. Each hit row says whether it meets the targets of the issue that asked for these
 *   rows: within 1.5x of the Map, and at least 3x faster than DataLoader's cached load;
 * - 10,000 concurrent callers of one key while its one upstream call is in flight, against DataLoader;
 * - a request that makes a scope and runs 10 tasks (half of them sharing a dependency), against a child inversify
 *   container per request with a request-scoped service memoizing the same calls in `Map`s — what request scoping
 *   looks like in inversify and NestJS.
 *
 * Each sample times many operations (this VM is shared and noisy); the two sides alternate which goes first, and
 * each row reports the median of its rounds. Every sample checks its results and upstream call counts, so a
 * benchmark cannot silently measure nothing.
 *
 * Node 20's AsyncLocalStorage, which request scopes use, puts a hook on every promise from the first time it is
 * entered, and never takes it off: after that, every `await` in the process costs about twice as much, peers' too.
 * So the rows that need no request scope (`task.run`, `new TaskScope`) are measured first, with the hook off, as a
 * DataLoader or p-memoize user would run; then the `@Task` rows, both sides with the hook on, as in an app that
 * serves requests through `app.runInScope`.
 *
 * inversify 8 keeps each child container in its parent through a WeakRef, which holds it until the current job
 * ends; a server releases them between requests. So the request rows give the event loop a turn (untimed) every
 * few requests, or the peer's heap would grow through a whole sample; and they alternate the two sides batch by
 * batch, so that both live through the collections of the peer's garbage.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import DataLoader from 'dataloader';
import { Container, inject, injectable } from 'inversify';
import pMemoize from 'p-memoize';
import { Logger, Ordo, SilentLogger, Task, task, TaskScope, type App } from '../src/index.js';
import { type BenchRow, median } from './report.js';

/** Awaited hits per sample: enough for tens of milliseconds per sample, far above the timer's resolution. */
const HITS = 300_000;
const HIT_ROUNDS = 17;
const HERD_CALLERS = 10_000;
/** Herds per sample: one herd is a few milliseconds, and its garbage collections land unevenly. */
const HERDS = 4;
const HERD_ROUNDS = 17;
const REQUESTS = 2_000;
/** Requests between two turns of the event loop. */
const REQUEST_BATCH = 25;
const REQUEST_ROUNDS = 11;
const WARM_UP_ROUNDS = 3;
/** What every memoized call below resolves to; the loops sum it, and the sums are checked. */
const VALUE = 3;

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/** One sample of one side: does its work and returns the time per unit, having checked its results. */
type Sample = () => Promise<number>;

interface Samples {
  ordo: number[];
  peer: number[];
}

/** Alternates the two sides (which one goes first flips every round) after a few untimed warm-up rounds. */
async function sideBySide(rounds: number, ordo: Sample, peer: Sample): Promise<Samples> {
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    await ordo();
    await peer();
  }
  const samples: Samples = { ordo: [], peer: [] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      samples.ordo.push(await ordo());
      samples.peer.push(await peer());
    } else {
      samples.peer.push(await peer());
      samples.ordo.push(await ordo());
    }
  }
  return samples;
}

function nanosecondsSince(startedAt: number): number {
  return (performance.now() - startedAt) * 1e6;
}

function expect(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`bench/tasks: ${what} was ${String(actual)}, expected ${String(expected)}`);
}

function spread(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const show = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
  return `${show(sorted[0]!)}–${show(sorted[sorted.length - 1]!)}`;
}

function row(benchmark: string, samples: Samples, peerName: string, unit: string, notes: readonly string[]): BenchRow {
  return {
    benchmark,
    ordo: median(samples.ordo),
    peer: median(samples.peer),
    peerName,
    unit,
    note: [...notes, `range Ordo ${spread(samples.ordo)}, peer ${spread(samples.peer)} ${unit}`].join('; '),
  };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

const HOOK_OFF = 'AsyncLocalStorage hook off (no request scope entered yet)';
const HOOK_ON = 'AsyncLocalStorage hook on, both sides';

// ---------------------------------------------------------------------------------------------------------------
// The backend every side calls on a miss, and the slow upstream of the herds

/** The upstream every memoized function calls on a miss; counts the calls. */
@injectable()
class Backend {
  calls = 0;

  load(_id: number): Promise<number> {
    this.calls++;
    return Promise.resolve(VALUE);
  }
}

/** The gate of a herd: the upstream call stays in flight until the herd lets it go. */
let herdGate = deferred<number>();
/** Resolves when the upstream call of a herd has started. */
let herdStarted = deferred<void>();
let herdUpstreamCalls = 0;

function slowUpstream(): Promise<number> {
  herdUpstreamCalls++;
  herdStarted.resolve();
  return herdGate.promise;
}

// ---------------------------------------------------------------------------------------------------------------
// The app: services with @Task methods

@injectable()
class Lookups {
  constructor(@inject(Backend) private readonly backend: Backend) {}

  @Task() async byId(id: number): Promise<number> {
    return this.backend.load(id);
  }

  @Task() async settings(): Promise<number> {
    return this.backend.load(0);
  }
}

/** An app-wide config read by every request, refreshed an hour after each fetch. */
@injectable()
class SharedSettings {
  constructor(@inject(Backend) private readonly backend: Backend) {}

  @Task({ scope: 'app', ttl: '1h' }) async current(): Promise<number> {
    return this.backend.load(0);
  }
}

@injectable()
class RemoteConfig {
  /** `ttl: 0`: shared while in flight only, so every herd starts a fresh upstream call. */
  @Task({ scope: 'app', ttl: 0 }) async flags(): Promise<number> {
    return slowUpstream();
  }
}

/** The request-time work: ten parts; the even ones share one dependency, `account(7)`. */
const PARTS = 10;
const SHARED_ACCOUNT = 7;
/** Upstream calls one request must make: one per part, plus the shared account once. */
const CALLS_PER_REQUEST = PARTS + 1;

@injectable()
class ProfileParts {
  constructor(@inject(Backend) private readonly backend: Backend) {}

  @Task() async account(userId: number): Promise<number> {
    return this.backend.load(userId);
  }

  @Task() async part(index: number): Promise<number> {
    if (index % 2 === 0) await this.account(SHARED_ACCOUNT);
    return this.backend.load(index);
  }
}

async function createApp(): Promise<App> {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Backend).toSelf();
  container.bind(Lookups).toSelf();
  container.bind(RemoteConfig).toSelf();
  container.bind(SharedSettings).toSelf();
  container.bind(ProfileParts).toSelf();
  return Ordo.create(container, { overrides: [[Logger, new SilentLogger()]] });
}

// ---------------------------------------------------------------------------------------------------------------
// Cached hits. One loop per side, so that every call site stays monomorphic.

/** The hand-written peer: a `Map` of promises, get-or-create. */
const promiseMap = new Map<number, Promise<number>>();
const mapBackend = new Backend();

function mapGet(id: number): Promise<number> {
  let promise = promiseMap.get(id);
  if (promise === undefined) {
    promise = mapBackend.load(id);
    promiseMap.set(id, promise);
  }
  return promise;
}

const taskBackend = new Backend();
const byId = task(async (_scope, id: number) => taskBackend.load(id), { name: 'byId' });
const hitScope = new TaskScope();
/** A ttl far longer than a run of the bench: every call is a hit, each paying for the expiry check. */
const ttlScope = new TaskScope({ ttl: '1h' });

const loaderBackend = new Backend();
const loader = new DataLoader<number, number>(async (ids) => Promise.all(ids.map((id) => loaderBackend.load(id))));

const memoBackend = new Backend();
const memoized = pMemoize(async (id: number) => memoBackend.load(id));

function hitsDone(who: string, total: number, startedAt: number): number {
  const ns = nanosecondsSince(startedAt) / HITS;
  expect(`the sum of the ${who} loop`, total, HITS * VALUE);
  return ns;
}

async function mapHits(): Promise<number> {
  let total = 0;
  const startedAt = performance.now();
  for (let i = 0; i < HITS; i++) total += await mapGet(1);
  return hitsDone('Map', total, startedAt);
}

async function taskHits(): Promise<number> {
  let total = 0;
  const startedAt = performance.now();
  for (let i = 0; i < HITS; i++) total += await byId.run(hitScope, 1);
  return hitsDone('task.run', total, startedAt);
}

async function ttlHits(): Promise<number> {
  let total = 0;
  const startedAt = performance.now();
  for (let i = 0; i < HITS; i++) total += await byId.run(ttlScope, 1);
  return hitsDone('task.run in a ttl scope', total, startedAt);
}

async function loaderHits(): Promise<number> {
  let total = 0;
  const startedAt = performance.now();
  for (let i = 0; i < HITS; i++) total += await loader.load(1);
  return hitsDone('DataLoader', total, startedAt);
}

async function pMemoizeHits(): Promise<number> {
  let total = 0;
  const startedAt = performance.now();
  for (let i = 0; i < HITS; i++) total += await memoized(1);
  return hitsDone('p-memoize', total, startedAt);
}

/** `@Task()` hits in a fresh request scope each sample; the miss that fills it is made before the clock starts. */
function methodHits(app: App, lookups: Lookups): Sample {
  return () =>
    app.runInScope(async () => {
      await lookups.byId(1);
      let total = 0;
      const startedAt = performance.now();
      for (let i = 0; i < HITS; i++) total += await lookups.byId(1);
      return hitsDone('@Task byId(1)', total, startedAt);
    });
}

function noArgumentHits(app: App, lookups: Lookups): Sample {
  return () =>
    app.runInScope(async () => {
      await lookups.settings();
      let total = 0;
      const startedAt = performance.now();
      for (let i = 0; i < HITS; i++) total += await lookups.settings();
      return hitsDone('@Task settings()', total, startedAt);
    });
}

/**
 * App-wide `@Task` hits from inside a request scope with a signal, as a server calls them: the request waits with
 * its own signal. The app-wide memo is filled once, before the first sample.
 */
function appWideHits(app: App, settings: SharedSettings): Sample {
  const request = new AbortController();
  return () =>
    app.runInScope(
      async () => {
        let total = 0;
        const startedAt = performance.now();
        for (let i = 0; i < HITS; i++) total += await settings.current();
        return hitsDone('@Task app current()', total, startedAt);
      },
      { signal: request.signal },
    );
}

/** The Map loop inside a request scope too, so that both sides run in the same async context. */
function mapHitsInScope(app: App): Sample {
  return () => app.runInScope(mapHits);
}

/** DataLoader's cached load inside a request scope, to compare with `@Task` under the same hook. */
function loaderHitsInScope(app: App): Sample {
  return () => app.runInScope(loaderHits);
}

const MAP_TARGET = 1.5;
const LOADER_TARGET = 3;

/** Whether a row meets the target of being within 1.5x of the Map. */
function versusMapTarget(samples: Samples): string {
  const ratio = median(samples.ordo) / median(samples.peer);
  return `target <= ${MAP_TARGET}x the Map: ${ratio <= MAP_TARGET ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`;
}

/** Whether a row meets the target of being at least 3x faster than DataLoader's cached load. */
function versusLoaderTarget(samples: Samples): string {
  const speedup = median(samples.peer) / median(samples.ordo);
  return `target >= ${LOADER_TARGET}x faster than DataLoader: ${speedup >= LOADER_TARGET ? 'met' : 'NOT met'} (${speedup.toFixed(1)}x)`;
}

const hitLoop = `${HITS.toLocaleString('en-US')} awaited hits per sample, median of ${HIT_ROUNDS} alternating samples`;
const hitRounds = HIT_ROUNDS + WARM_UP_ROUNDS;
const mapInScope = 'Map<key, Promise>, same scope';

async function functionHitRows(): Promise<BenchRow[]> {
  // Fill every cache first: from here on, every call is a hit.
  await Promise.all([mapGet(1), byId.run(hitScope, 1), byId.run(ttlScope, 1), loader.load(1), memoized(1)]);
  const upstreamCalls = (): string =>
    [mapBackend.calls, taskBackend.calls, loaderBackend.calls, memoBackend.calls].join();
  expect('upstream calls after filling the caches', upstreamCalls(), '1,2,1,1');

  const versusMap = await sideBySide(HIT_ROUNDS, taskHits, mapHits);
  const ttlVersusMap = await sideBySide(HIT_ROUNDS, ttlHits, mapHits);
  const versusLoader = await sideBySide(HIT_ROUNDS, taskHits, loaderHits);
  const versusMemo = await sideBySide(HIT_ROUNDS, taskHits, pMemoizeHits);

  expect('upstream calls after the hit loops', upstreamCalls(), '1,2,1,1');
  const notes = [hitLoop, '1 upstream call each side (one per scope for task.run)', HOOK_OFF];
  // Seen while writing this: p-memoize's hit (a new async function and two awaits) is about 220 ns in a process
  // where it is the only async loop that has run, and about 900 ns once any other has — a plain async loop is
  // enough, without Ordo or DataLoader loaded. Here it alternates with task.run, as it would live among other code.
  const memoNote =
    'alone in a fresh process p-memoize measures ~220 ns, but near 900 ns once any other async loop has run';
  return [
    row('cached hit: task.run(scope, 1)', versusMap, 'Map<key, Promise> get-or-create', 'ns/op', [
      versusMapTarget(versusMap),
      ...notes,
    ]),
    row(
      "cached hit: task.run in a TaskScope({ ttl: '1h' })",
      ttlVersusMap,
      'Map<key, Promise> get-or-create',
      'ns/op',
      [versusMapTarget(ttlVersusMap), ...notes],
    ),
    row('cached hit: task.run vs DataLoader', versusLoader, 'DataLoader 2 cached load()', 'ns/op', [
      versusLoaderTarget(versusLoader),
      ...notes,
    ]),
    row('cached hit: task.run vs p-memoize', versusMemo, 'p-memoize 8 memoized fn', 'ns/op', [...notes, memoNote]),
  ];
}

async function methodHitRows(app: App): Promise<BenchRow[]> {
  const lookups = app.get(Lookups);
  const settings = app.get(SharedSettings);
  const backend = app.get(Backend);
  const callsBefore = [backend.calls, mapBackend.calls, loaderBackend.calls];
  const oneArgument = await sideBySide(HIT_ROUNDS, methodHits(app, lookups), mapHitsInScope(app));
  const oneArgumentCalls = backend.calls - callsBefore[0]!;
  const noArgument = await sideBySide(HIT_ROUNDS, noArgumentHits(app, lookups), mapHitsInScope(app));
  const noArgumentCalls = backend.calls - callsBefore[0]! - oneArgumentCalls;
  const versusLoader = await sideBySide(HIT_ROUNDS, methodHits(app, lookups), loaderHitsInScope(app));
  const versusLoaderCalls = backend.calls - callsBefore[0]! - oneArgumentCalls - noArgumentCalls;
  await app.runInScope(() => settings.current());
  const appWide = await sideBySide(HIT_ROUNDS, appWideHits(app, settings), mapHitsInScope(app));
  const appWideCalls = backend.calls - callsBefore[0]! - oneArgumentCalls - noArgumentCalls - versusLoaderCalls;
  // One miss per request scope (one scope per sample), none on the Map side; one in all for the app-wide memo.
  expect('upstream calls of @Task byId(1)', oneArgumentCalls, hitRounds);
  expect('upstream calls of @Task settings()', noArgumentCalls, hitRounds);
  expect('upstream calls of @Task byId(1) against DataLoader', versusLoaderCalls, hitRounds);
  expect('upstream calls of @Task app current()', appWideCalls, 1);
  expect('upstream calls of the Map in a scope', mapBackend.calls, callsBefore[1]);
  expect('upstream calls of DataLoader in a scope', loaderBackend.calls, callsBefore[2]);
  const notes = (calls: number, peer = 'Map'): string[] => [
    hitLoop,
    `${calls} upstream calls, one per request scope (${hitRounds} scopes); ${peer}: none past its first`,
    HOOK_ON,
  ];
  const appWideNotes = [
    hitLoop,
    '1 upstream call for every sample (the app-wide memo); Map: none past its first',
    'each sample in a request scope with a signal, which the app-wide wait takes as its own',
    HOOK_ON,
  ];
  return [
    row('cached hit: @Task() byId(1) in a request scope', oneArgument, mapInScope, 'ns/op', [
      versusMapTarget(oneArgument),
      ...notes(oneArgumentCalls),
    ]),
    row('cached hit: @Task() settings(), no arguments', noArgument, mapInScope, 'ns/op', [
      versusMapTarget(noArgument),
      ...notes(noArgumentCalls),
    ]),
    row("cached hit: @Task({ scope: 'app', ttl: '1h' }) current()", appWide, mapInScope, 'ns/op', [
      versusMapTarget(appWide),
      ...appWideNotes,
    ]),
    row('cached hit: @Task() byId(1) vs DataLoader', versusLoader, 'DataLoader 2 cached load(), same scope', 'ns/op', [
      versusLoaderTarget(versusLoader),
      ...notes(versusLoaderCalls, 'DataLoader'),
    ]),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// 10,000 concurrent callers of one key while its upstream call is in flight

const herdTask = task(async (_scope, _name: string) => slowUpstream(), { name: 'remoteFlags' });

/**
 * One sample: HERDS herds, each timed from its first call to its last result. The first caller starts the
 * upstream call; once it is in flight, the other callers arrive; then the upstream answers.
 */
async function herds(label: string, newHerd: () => (caller: number) => Promise<number>): Promise<number> {
  let ns = 0;
  for (let round = 0; round < HERDS; round++) {
    const call = newHerd();
    herdGate = deferred<number>();
    herdStarted = deferred<void>();
    herdUpstreamCalls = 0;
    const waits = new Array<Promise<number>>(HERD_CALLERS);
    const startedAt = performance.now();
    waits[0] = call(0);
    await herdStarted.promise;
    for (let caller = 1; caller < HERD_CALLERS; caller++) waits[caller] = call(caller);
    herdGate.resolve(VALUE);
    const results = await Promise.all(waits);
    ns += nanosecondsSince(startedAt);
    expect(`${label}: upstream calls of a herd`, herdUpstreamCalls, 1);
    expect(`${label}: callers that got the answer`, results.filter((value) => value === VALUE).length, HERD_CALLERS);
  }
  return ns / (HERDS * HERD_CALLERS);
}

function taskHerds(): Promise<number> {
  return herds('task.run', () => {
    const scope = new TaskScope();
    return () => herdTask.run(scope, 'flags');
  });
}

/** Each caller is a request of its own: its own request scope, the app-wide memo shared by all. */
function methodHerds(app: App, config: RemoteConfig): Sample {
  return () => herds('@Task app', () => () => app.runInScope(() => config.flags()));
}

async function loaderHerds(): Promise<number> {
  let batches = 0;
  const ns = await herds('DataLoader', () => {
    const herdLoader = new DataLoader<string, number>(async (names) => {
      batches++;
      const value = await slowUpstream();
      return names.map(() => value);
    });
    return () => herdLoader.load('flags');
  });
  expect('DataLoader batches of a sample', batches, HERDS);
  return ns;
}

const callers = `${HERD_CALLERS.toLocaleString('en-US')} callers`;
const herdPeer = 'DataLoader 2 load(), same key';
const herdNotes = [
  `first call to last result, per caller; ${HERDS} herds per sample, median of ${HERD_ROUNDS} alternating samples`,
  `every herd checked: 1 upstream call, ${callers} got the answer`,
];

async function taskHerdRow(): Promise<BenchRow> {
  const samples = await sideBySide(HERD_ROUNDS, taskHerds, loaderHerds);
  return row(`${callers} on one key in flight: task.run`, samples, herdPeer, 'ns/caller', [...herdNotes, HOOK_OFF]);
}

async function methodHerdRow(app: App): Promise<BenchRow> {
  const entriesBefore = app.appTasks.size;
  const samples = await sideBySide(HERD_ROUNDS, methodHerds(app, app.get(RemoteConfig)), loaderHerds);
  expect('entries the herds left in the app-wide memo (ttl 0)', app.appTasks.size - entriesBefore, 0);
  const notes = [...herdNotes, 'each Ordo caller in a request scope of its own', HOOK_ON];
  return row(`${callers} on one key in flight: @Task({ scope: 'app' })`, samples, herdPeer, 'ns/caller', notes);
}

// ---------------------------------------------------------------------------------------------------------------
// A request scope and 10 tasks per request, against a child container per request

/** Request data bound in each request's child container, as inversify-express-utils binds its HttpContext. */
const REQUEST = Symbol('request');

interface RequestInfo {
  readonly id: number;
}

/** The peer's request-scoped service: the same ten parts and shared account, memoized in `Map`s of its own. */
@injectable()
class RequestProfileParts {
  private readonly accounts = new Map<number, Promise<number>>();
  private readonly parts = new Map<number, Promise<number>>();

  constructor(
    @inject(Backend) private readonly backend: Backend,
    @inject(REQUEST) readonly request: RequestInfo,
  ) {}

  account(userId: number): Promise<number> {
    let promise = this.accounts.get(userId);
    if (promise === undefined) {
      promise = this.backend.load(userId);
      this.accounts.set(userId, promise);
    }
    return promise;
  }

  part(index: number): Promise<number> {
    let promise = this.parts.get(index);
    if (promise === undefined) {
      promise = this.loadPart(index);
      this.parts.set(index, promise);
    }
    return promise;
  }

  private async loadPart(index: number): Promise<number> {
    if (index % 2 === 0) await this.account(SHARED_ACCOUNT);
    return this.backend.load(index);
  }
}

const requestBackend = new Backend();
const parentContainer = new Container();
parentContainer.bind(Backend).toConstantValue(requestBackend);
parentContainer.bind(RequestProfileParts).toSelf().inTransientScope();

async function containerRequest(id: number): Promise<number> {
  const child = new Container({ parent: parentContainer });
  child.bind<RequestInfo>(REQUEST).toConstantValue({ id });
  const service = child.get(RequestProfileParts);
  const waits: Array<Promise<number>> = [];
  for (let index = 0; index < PARTS; index++) waits.push(service.part(index));
  return sum(await Promise.all(waits));
}

const partsBackend = new Backend();
const account = task(async (_scope, userId: number) => partsBackend.load(userId), { name: 'account' });
const part = task(
  async (scope, index: number) => {
    if (index % 2 === 0) await account.run(scope, SHARED_ACCOUNT);
    return partsBackend.load(index);
  },
  { name: 'part' },
);

async function functionRequest(): Promise<number> {
  const scope = new TaskScope();
  const waits: Array<Promise<number>> = [];
  for (let index = 0; index < PARTS; index++) waits.push(part.run(scope, index));
  return sum(await Promise.all(waits));
}

function methodRequest(app: App, parts: ProfileParts): (id: number) => Promise<number> {
  return () =>
    app.runInScope(async () => {
      const waits: Array<Promise<number>> = [];
      for (let index = 0; index < PARTS; index++) waits.push(parts.part(index));
      return sum(await Promise.all(waits));
    });
}

/** A request handler and what it is checked against. */
interface RequestSide {
  label: string;
  backend: Backend;
  handle: (id: number) => Promise<number>;
}

/**
 * Requests one after another, in batches of REQUEST_BATCH that alternate between the two sides (which one goes
 * first flips every batch), so that both live through the same garbage collections — the peer makes much more
 * garbage. Between batches the event loop gets a turn, untimed, as a server's would between requests. A round
 * gives one sample per side, in µs per request; each is checked for its sums and upstream calls.
 */
async function requestsSideBySide(rounds: number, ordo: RequestSide, peer: RequestSide): Promise<Samples> {
  const batches = REQUESTS / REQUEST_BATCH;
  const samples: Samples = { ordo: [], peer: [] };
  for (let round = -WARM_UP_ROUNDS; round < rounds; round++) {
    const totals = [0, 0];
    const ns = [0, 0];
    const callsBefore = [ordo.backend.calls, peer.backend.calls];
    for (let batch = 0; batch < batches; batch++) {
      for (const which of batch % 2 === 0 ? [0, 1] : [1, 0]) {
        const { handle } = which === 0 ? ordo : peer;
        const first = batch * REQUEST_BATCH;
        let total = 0;
        const startedAt = performance.now();
        for (let id = first; id < first + REQUEST_BATCH; id++) total += await handle(id);
        ns[which]! += nanosecondsSince(startedAt);
        totals[which]! += total;
        await nextTurn();
      }
    }
    [ordo, peer].forEach((side, which) => {
      expect(`${side.label}: sum of the parts`, totals[which], REQUESTS * PARTS * VALUE);
      expect(`${side.label}: upstream calls`, side.backend.calls - callsBefore[which]!, REQUESTS * CALLS_PER_REQUEST);
    });
    if (round < 0) continue;
    samples.ordo.push(ns[0]! / REQUESTS / 1_000);
    samples.peer.push(ns[1]! / REQUESTS / 1_000);
  }
  return samples;
}

const requestNotes = [
  `${REQUESTS.toLocaleString('en-US')} requests per side per round, in alternating batches of ${REQUEST_BATCH}`,
  `median of ${REQUEST_ROUNDS} rounds`,
  `every sample checked: ${CALLS_PER_REQUEST} upstream calls per request on both sides`,
];
const containerPeer = 'child inversify Container + request-scoped service with Maps';
const containerSide: RequestSide = { label: 'child container', backend: requestBackend, handle: containerRequest };
const functionSide: RequestSide = { label: 'new TaskScope + task.run', backend: partsBackend, handle: functionRequest };

async function functionRequestRow(): Promise<BenchRow> {
  const samples = await requestsSideBySide(REQUEST_ROUNDS, functionSide, containerSide);
  return row('request: new TaskScope + 10 task.run', samples, containerPeer, 'µs/request', [...requestNotes, HOOK_OFF]);
}

async function methodRequestRows(app: App): Promise<BenchRow[]> {
  const methodSide: RequestSide = {
    label: 'app.runInScope + @Task',
    backend: app.get(Backend),
    handle: methodRequest(app, app.get(ProfileParts)),
  };
  const methods = await requestsSideBySide(REQUEST_ROUNDS, methodSide, containerSide);
  // The same task() requests as before the hook was on: what the hook costs, apart from what @Task costs.
  const functions = await requestsSideBySide(REQUEST_ROUNDS, functionSide, containerSide);
  return [
    row('request: app.runInScope + 10 @Task calls', methods, containerPeer, 'µs/request', [...requestNotes, HOOK_ON]),
    row('request: new TaskScope + 10 task.run, hook on', functions, containerPeer, 'µs/request', [
      ...requestNotes,
      HOOK_ON,
    ]),
  ];
}

// ---------------------------------------------------------------------------------------------------------------

/** Every row of this module: first those that need no request scope, then the @Task ones (see the header). */
export async function benchmarks(): Promise<BenchRow[]> {
  const app = await createApp();
  const [taskVsMap, ttlVsMap, taskVsLoader, taskVsMemo] = await functionHitRows();
  const taskHerd = await taskHerdRow();
  const functionRequests = await functionRequestRow();

  const methodHits = await methodHitRows(app);
  const methodHerd = await methodHerdRow(app);
  const methodRequests = await methodRequestRows(app);
  return [
    ...[taskVsMap!, ttlVsMap!, ...methodHits, taskVsLoader!, taskVsMemo!],
    ...[taskHerd, methodHerd],
    ...[functionRequests, ...methodRequests],
  ];
}
