/**
 * The peers of bench/tasks.ts — a hand-written `Map` of promises, DataLoader 2, p-memoize 8, a child inversify
 * container per request — and what both sides share: the upstream they call, the herd's gate, the checks.
 *
 * bench/tasks.ts runs these in its own process for the rows measured before any request scope (AsyncLocalStorage's
 * promise hook off on both sides), and in a child process of their own (`fork`ed from this file) for the rows where
 * Ordo runs with the hook on: such a child never imports Ordo and never enters an AsyncLocalStorage, so its peers pay
 * nothing for Ordo's hook, as in a service that uses them instead of Ordo. Nothing here imports src/.
 */
import 'reflect-metadata';
import { setImmediate as nextTurn } from 'node:timers/promises';
import DataLoader from 'dataloader';
import { Container, inject, injectable } from 'inversify';
import pMemoize from 'p-memoize';

/** What every memoized call resolves to; the loops sum it, and the sums are checked. */
export const VALUE = 3;
/** Awaited hits per sample: enough for tens of milliseconds per sample, far above the timer's resolution. */
export const HITS = 300_000;
/** Loads started together, then awaited through one `Promise.all`, in the concurrent rows. */
export const CONCURRENT = 100;
/** Calls per sample in the miss rows, each of a new input: MISS_SCOPES fresh memos of MISSES_PER_SCOPE inputs. */
export const MISSES_PER_SCOPE = 1_000;
export const MISS_SCOPES = 100;
/** The request-time work: `parts` parts; the even ones share one dependency, `account(7)`. */
export const SHARED_ACCOUNT = 7;

/** Throws unless `actual` is `expected`: a sample that did not do its work must not print a time. */
export function expect(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`bench/tasks: ${what} was ${String(actual)}, expected ${String(expected)}`);
}

/** Nanoseconds since `startedAt`, a `performance.now()` reading. */
export function nanosecondsSince(startedAt: number): number {
  return (performance.now() - startedAt) * 1e6;
}

/** A promise and its resolver. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** The sum of some numbers. */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Upstream calls one request of `parts` parts makes: one per part, plus the shared account once. */
export function callsPerRequest(parts: number): number {
  return parts + 1;
}

// ---------------------------------------------------------------------------------------------------------------
// The upstream every side calls, and the slow upstream of the herds

/** The upstream every memoized function calls on a miss; counts the calls. */
@injectable()
export class Backend {
  calls = 0;

  load(_id: number): Promise<number> {
    this.calls++;
    return Promise.resolve(VALUE);
  }
}

let herdGate = deferred<number>();
let herdStarted = deferred<void>();
let herdUpstreamCalls = 0;

/** The upstream of a herd: stays in flight until the herd lets it go. */
export function slowUpstream(): Promise<number> {
  herdUpstreamCalls++;
  herdStarted.resolve();
  return herdGate.promise;
}

/**
 * One sample: `herds` herds of `callers` callers of one key, each timed from its first call to its last result, in
 * ns per caller. The first caller starts the upstream call; once it is in flight, the others arrive; then the
 * upstream answers. Every herd is checked: one upstream call, every caller got the answer.
 */
export async function herds(
  label: string,
  herdCount: number,
  callers: number,
  newHerd: () => (caller: number) => Promise<number>,
): Promise<number> {
  let ns = 0;
  for (let round = 0; round < herdCount; round++) {
    const call = newHerd();
    herdGate = deferred<number>();
    herdStarted = deferred<void>();
    herdUpstreamCalls = 0;
    const waits = new Array<Promise<number>>(callers);
    const startedAt = performance.now();
    waits[0] = call(0);
    await herdStarted.promise;
    for (let caller = 1; caller < callers; caller++) waits[caller] = call(caller);
    herdGate.resolve(VALUE);
    const results = await Promise.all(waits);
    ns += nanosecondsSince(startedAt);
    expect(`${label}: upstream calls of a herd`, herdUpstreamCalls, 1);
    expect(`${label}: callers that got the answer`, results.filter((value) => value === VALUE).length, callers);
  }
  return ns / (herdCount * callers);
}

// ---------------------------------------------------------------------------------------------------------------
// Cached hits and misses. One loop per side, so that every call site stays monomorphic.

const promiseMap = new Map<number, Promise<number>>();
/** The Map side's upstream. */
export const mapBackend = new Backend();

function mapGet(id: number): Promise<number> {
  let promise = promiseMap.get(id);
  if (promise === undefined) {
    promise = mapBackend.load(id);
    promiseMap.set(id, promise);
  }
  return promise;
}

const loaderBackend = new Backend();
const loader = new DataLoader<number, number>(async (ids) => Promise.all(ids.map((id) => loaderBackend.load(id))));

const memoBackend = new Backend();
const memoized = pMemoize(async (id: number) => memoBackend.load(id));

/** Fills the peers' caches: from then on every hit loop is all hits, one upstream call each. */
export async function fillPeerCaches(): Promise<void> {
  const keys = Array.from({ length: CONCURRENT }, (_, id) => id);
  await Promise.all([mapGet(1), memoized(1), ...keys.map((id) => loader.load(id))]);
  expect('upstream calls after filling the peer caches', peerUpstreamCalls(), `1,${CONCURRENT},1`);
}

/** The peers' upstream calls so far: Map, DataLoader, p-memoize. */
export function peerUpstreamCalls(): string {
  return [mapBackend.calls, loaderBackend.calls, memoBackend.calls].join();
}

/** The time per hit of a sample of `hits` hits, once its sum is checked. */
export function hitsDone(who: string, total: number, startedAt: number, hits = HITS): number {
  const ns = nanosecondsSince(startedAt) / hits;
  expect(`the sum of the ${who} loop`, total, hits * VALUE);
  return ns;
}

/** The Map's hits: `await mapGet(1)`. */
export async function mapHits(): Promise<number> {
  let total = 0;
  const startedAt = performance.now();
  for (let i = 0; i < HITS; i++) total += await mapGet(1);
  return hitsDone('Map', total, startedAt);
}

/** DataLoader's cached `load`, one awaited after the other: its worst case, each hit waits for a batch dispatch. */
export async function loaderHits(): Promise<number> {
  let total = 0;
  const startedAt = performance.now();
  for (let i = 0; i < HITS; i++) total += await loader.load(1);
  return hitsDone('DataLoader', total, startedAt);
}

/** DataLoader as users write it: CONCURRENT cached loads started in one tick, awaited through `Promise.all`. */
export async function loaderConcurrentHits(): Promise<number> {
  let total = 0;
  const waits = new Array<Promise<number>>(CONCURRENT);
  const startedAt = performance.now();
  for (let tick = 0; tick < HITS / CONCURRENT; tick++) {
    for (let id = 0; id < CONCURRENT; id++) waits[id] = loader.load(id);
    total += sum(await Promise.all(waits));
  }
  return hitsDone('DataLoader, concurrent', total, startedAt);
}

const concurrentMap = new Map<number, Promise<number>>();
const concurrentBackend = new Backend();

/**
 * What every memo pays in the concurrent row, with no memo code: CONCURRENT hits of a `Map` per tick through
 * `Promise.all`. Its own `Map` and upstream (filled by the first, untimed, warm-up sample), so the other rows'
 * upstream counts stay as they are.
 */
export async function mapConcurrentHits(): Promise<number> {
  let total = 0;
  const waits = new Array<Promise<number>>(CONCURRENT);
  const startedAt = performance.now();
  for (let tick = 0; tick < HITS / CONCURRENT; tick++) {
    for (let id = 0; id < CONCURRENT; id++) {
      let promise = concurrentMap.get(id);
      if (promise === undefined) {
        promise = concurrentBackend.load(id);
        concurrentMap.set(id, promise);
      }
      waits[id] = promise;
    }
    total += sum(await Promise.all(waits));
  }
  expect('upstream calls of the concurrent Map', concurrentBackend.calls, CONCURRENT);
  return hitsDone('Map, concurrent', total, startedAt);
}

/** p-memoize's hits. */
export async function pMemoizeHits(): Promise<number> {
  let total = 0;
  const startedAt = performance.now();
  for (let i = 0; i < HITS; i++) total += await memoized(1);
  return hitsDone('p-memoize', total, startedAt);
}

/** What the miss rows run on both sides on a miss: an async function, as a task's body is. */
export const missBackend = new Backend();

async function missUpstream(id: number): Promise<number> {
  return missBackend.load(id);
}

/** The Map's misses: each call a new input, in a fresh `Map` every MISSES_PER_SCOPE calls. */
export async function mapMisses(): Promise<number> {
  const callsBefore = missBackend.calls;
  let total = 0;
  const startedAt = performance.now();
  for (let scope = 0; scope < MISS_SCOPES; scope++) {
    const memo = new Map<number, Promise<number>>();
    for (let id = 0; id < MISSES_PER_SCOPE; id++) {
      let promise = memo.get(id);
      if (promise === undefined) {
        promise = missUpstream(id);
        memo.set(id, promise);
      }
      total += await promise;
    }
  }
  const misses = MISS_SCOPES * MISSES_PER_SCOPE;
  expect('upstream calls of the Map misses', missBackend.calls - callsBefore, misses);
  return hitsDone('Map misses', total, startedAt, misses);
}

/** Resolved once: reactions to it are jobs on the microtask queue. */
const SETTLED: Promise<void> = Promise.resolve();

/**
 * The floor of a memo that keeps a task's guarantees, with no memo code: the `Map` of {@link mapMisses}, but the
 * upstream starts on the microtask queue (as a task's body does, so that memoized recursion never grows the stack)
 * and the memo reacts to its end (as a memo must, to keep or drop the result).
 */
export async function mapMissesStartedLater(): Promise<number> {
  const callsBefore = missBackend.calls;
  let total = 0;
  let ended = 0;
  const startedAt = performance.now();
  for (let scope = 0; scope < MISS_SCOPES; scope++) {
    const memo = new Map<number, Promise<number>>();
    for (let id = 0; id < MISSES_PER_SCOPE; id++) {
      let promise = memo.get(id);
      if (promise === undefined) {
        const key = id;
        promise = SETTLED.then(() => missUpstream(key));
        promise.then(
          () => ended++,
          () => memo.delete(key),
        );
        memo.set(id, promise);
      }
      total += await promise;
    }
  }
  const misses = MISS_SCOPES * MISSES_PER_SCOPE;
  expect('upstream calls of the floor misses', missBackend.calls - callsBefore, misses);
  expect('ends the floor misses reacted to', ended, misses);
  return hitsDone('floor misses', total, startedAt, misses);
}

/** DataLoader's herd: one loader per herd, the same key from every caller. */
export async function loaderHerds(herdCount: number, callers: number): Promise<number> {
  let batches = 0;
  const ns = await herds('DataLoader', herdCount, callers, () => {
    const herdLoader = new DataLoader<string, number>(async (names) => {
      batches++;
      const value = await slowUpstream();
      return names.map(() => value);
    });
    return () => herdLoader.load('flags');
  });
  expect('DataLoader batches of a sample', batches, herdCount);
  return ns;
}

// ---------------------------------------------------------------------------------------------------------------
// A child container per request, with a request-scoped service memoizing in Maps

/** Request data bound in each request's child container, as inversify-express-utils binds its HttpContext. */
const REQUEST = Symbol('request');

interface RequestInfo {
  readonly id: number;
}

/** The peer's request-scoped service: the parts and the shared account, memoized in `Map`s of its own. */
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

async function containerRequest(id: number, parts: number): Promise<number> {
  const child = new Container({ parent: parentContainer });
  child.bind<RequestInfo>(REQUEST).toConstantValue({ id });
  const service = child.get(RequestProfileParts);
  const waits: Array<Promise<number>> = [];
  for (let index = 0; index < parts; index++) waits.push(service.part(index));
  return sum(await Promise.all(waits));
}

/**
 * Times `count` requests of `parts` parts one after another, in ns, having checked their sums and upstream calls;
 * the event loop gets a turn afterwards, untimed, as a server's would between requests. inversify 8 keeps each
 * child container in its parent through a WeakRef, which holds it until the current job ends: without the turn the
 * peer's heap would grow through a whole sample.
 */
export async function timeRequests(
  label: string,
  backend: Backend,
  handle: (id: number, parts: number) => Promise<number>,
  first: number,
  count: number,
  parts: number,
): Promise<number> {
  const callsBefore = backend.calls;
  let total = 0;
  const startedAt = performance.now();
  for (let id = first; id < first + count; id++) total += await handle(id, parts);
  const ns = nanosecondsSince(startedAt);
  expect(`${label}: sum of the parts`, total, count * parts * VALUE);
  expect(`${label}: upstream calls`, backend.calls - callsBefore, count * callsPerRequest(parts));
  await nextTurn();
  return ns;
}

/** A batch of the peer's requests, timed: see {@link timeRequests}. */
export function containerRequests(first: number, count: number, parts: number): Promise<number> {
  return timeRequests('child container', requestBackend, containerRequest, first, count, parts);
}

// ---------------------------------------------------------------------------------------------------------------
// The peers' own process

/** The samples the parent can ask of a peer process, by name. */
export const peerSamples = {
  mapHits,
  loaderHits,
  loaderConcurrentHits,
  loaderHerds,
  containerRequests,
} satisfies Record<string, (...args: number[]) => Promise<number>>;

/** A sample the parent asks for, and its arguments. */
export interface PeerRequest {
  readonly id: number;
  readonly sample: keyof typeof peerSamples;
  readonly args: number[];
}

/** A sample's answer: its time per unit, or why it failed. */
export type PeerAnswer = { readonly id: number; readonly ns: number } | { readonly id: number; readonly error: string };

if (process.send !== undefined && process.argv[1]?.endsWith('task-peers.js')) {
  await fillPeerCaches();
  process.on('message', (request: PeerRequest) => {
    const sample = peerSamples[request.sample] as (...args: number[]) => Promise<number>;
    sample(...request.args).then(
      (ns) => process.send!({ id: request.id, ns } satisfies PeerAnswer),
      (error: unknown) => process.send!({ id: request.id, error: String(error) } satisfies PeerAnswer),
    );
  });
  process.send('ready');
}
