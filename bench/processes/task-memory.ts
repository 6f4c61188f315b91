/**
 * The memory row of bench/tasks.ts, one side per process: `node --expose-gc task-memory.js <side>` prints, as JSON,
 * the heap bytes one cached entry holds (ENTRIES entries of one task in one scope) and one request's memo holds
 * (SCOPES scopes kept alive, each with the 11 entries of bench/tasks.ts's request). A process of its own per side
 * and per run, so that neither side's garbage or compiled code is in the other's heap.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import DataLoader from 'dataloader';
import { Container, injectable } from 'inversify';
import { Logger, Ordo, SilentLogger, Task, task, TaskScope } from '../../src/index.js';

const ENTRIES = 100_000;
const SCOPES = 10_000;
const PARTS = 10;
const SHARED_ACCOUNT = 7;

/** The sides, by the name the parent passes. */
export const MEMORY_SIDES = ['task.run', '@Task', 'Map', 'Map, hook on', 'DataLoader'] as const;
/** One of {@link MEMORY_SIDES}. */
export type MemorySide = (typeof MEMORY_SIDES)[number];

/** What one run of this script prints. */
export interface MemoryFigures {
  /** Heap bytes per cached entry. */
  readonly perEntry: number;
  /** Heap bytes per request memo of 11 entries. */
  readonly perScope: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  // Twice: the first full collection can leave garbage that only the second reclaims (weak references, finalizers).
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

/** Heap bytes per unit that `build` keeps reachable through what it returns. */
async function bytesPer(units: number, build: () => Promise<unknown>): Promise<number> {
  const before = heapUsed();
  const kept = await build();
  const after = heapUsed();
  if (kept === undefined) throw new Error('bench/task-memory: nothing was kept');
  return (after - before) / units;
}

function load(_id: number): Promise<number> {
  return Promise.resolve(3);
}

@injectable()
class Lookups {
  @Task() async byId(id: number): Promise<number> {
    return load(id);
  }

  @Task() async account(id: number): Promise<number> {
    return load(id);
  }

  @Task() async part(index: number): Promise<number> {
    if (index % 2 === 0) await this.account(SHARED_ACCOUNT);
    return load(index);
  }
}

async function figuresOf(side: MemorySide): Promise<MemoryFigures> {
  switch (side) {
    case 'task.run': {
      const byId = task(async (_scope, id: number) => load(id), { name: 'byId' });
      const account = task(async (_scope, id: number) => load(id), { name: 'account' });
      const part = task(
        async (scope, index: number) => {
          if (index % 2 === 0) await account.run(scope, SHARED_ACCOUNT);
          return load(index);
        },
        { name: 'part' },
      );
      // Warm both shapes up first, so that neither figure includes compiled code or feedback.
      await oneScope((scope, id) => byId.run(scope, id), 1_000);
      await requestScopes(100, (scope, index) => part.run(scope, index));
      const perEntry = await bytesPer(ENTRIES, () => oneScope((scope, id) => byId.run(scope, id), ENTRIES));
      const perScope = await bytesPer(SCOPES, () => requestScopes(SCOPES, (scope, index) => part.run(scope, index)));
      return { perEntry, perScope };
    }
    case '@Task': {
      const container = new Container({ defaultScope: 'Singleton' });
      container.bind(Lookups).toSelf();
      const app = await Ordo.create(container, { overrides: [[Logger, new SilentLogger()]] });
      const lookups = app.get(Lookups);
      const entries = async (count: number): Promise<unknown> => {
        const scope = app.scope({});
        await scope.run(async () => {
          const waits: Array<Promise<number>> = [];
          for (let id = 0; id < count; id++) waits.push(lookups.byId(id));
          await Promise.all(waits);
        });
        return scope;
      };
      const scopes = async (count: number): Promise<unknown> => {
        const kept: unknown[] = [];
        for (let request = 0; request < count; request++) {
          const scope = app.scope({});
          await scope.run(async () => {
            const waits: Array<Promise<number>> = [];
            for (let index = 0; index < PARTS; index++) waits.push(lookups.part(index));
            await Promise.all(waits);
          });
          kept.push(scope);
        }
        return kept;
      };
      await entries(1_000);
      await scopes(100);
      const perEntry = await bytesPer(ENTRIES, () => entries(ENTRIES));
      const perScope = await bytesPer(SCOPES, () => scopes(SCOPES));
      return { perEntry, perScope };
    }
    case 'Map, hook on':
      // The Map built inside an AsyncLocalStorage context, as a request's memo is next to @Task: Node 20's promise
      // hook then adds its ids and the context to every promise made, the Map's as well as Ordo's.
      return new AsyncLocalStorage<object>().run({}, () => figuresOf('Map'));
    case 'Map': {
      const entries = async (count: number): Promise<unknown> => {
        const memo = new Map<number, Promise<number>>();
        const waits: Array<Promise<number>> = [];
        for (let id = 0; id < count; id++) waits.push(getOrCreate(memo, id, load));
        await Promise.all(waits);
        return memo;
      };
      const scopes = async (count: number): Promise<unknown> => {
        const kept: unknown[] = [];
        for (let request = 0; request < count; request++) {
          const accounts = new Map<number, Promise<number>>();
          const parts = new Map<number, Promise<number>>();
          const loadPart = async (index: number): Promise<number> => {
            if (index % 2 === 0) await getOrCreate(accounts, SHARED_ACCOUNT, load);
            return load(index);
          };
          const waits: Array<Promise<number>> = [];
          for (let index = 0; index < PARTS; index++) waits.push(getOrCreate(parts, index, loadPart));
          await Promise.all(waits);
          kept.push([accounts, parts]);
        }
        return kept;
      };
      await entries(1_000);
      await scopes(100);
      return {
        perEntry: await bytesPer(ENTRIES, () => entries(ENTRIES)),
        perScope: await bytesPer(SCOPES, () => scopes(SCOPES)),
      };
    }
    case 'DataLoader': {
      const entries = async (count: number): Promise<unknown> => {
        const loader = new DataLoader<number, number>(async (ids) => Promise.all(ids.map(load)));
        const waits: Array<Promise<number>> = [];
        for (let id = 0; id < count; id++) waits.push(loader.load(id));
        await Promise.all(waits);
        return loader;
      };
      const scopes = async (count: number): Promise<unknown> => {
        const kept: unknown[] = [];
        for (let request = 0; request < count; request++) {
          const accounts = new DataLoader<number, number>(async (ids) => Promise.all(ids.map(load)));
          const parts = new DataLoader<number, number>(async (ids) =>
            Promise.all(
              ids.map(async (index) => {
                if (index % 2 === 0) await accounts.load(SHARED_ACCOUNT);
                return load(index);
              }),
            ),
          );
          const waits: Array<Promise<number>> = [];
          for (let index = 0; index < PARTS; index++) waits.push(parts.load(index));
          await Promise.all(waits);
          kept.push([accounts, parts]);
        }
        return kept;
      };
      await entries(1_000);
      await scopes(100);
      return {
        perEntry: await bytesPer(ENTRIES, () => entries(ENTRIES)),
        perScope: await bytesPer(SCOPES, () => scopes(SCOPES)),
      };
    }
  }
}

function getOrCreate<T>(memo: Map<number, Promise<T>>, key: number, make: (key: number) => Promise<T>): Promise<T> {
  let promise = memo.get(key);
  if (promise === undefined) {
    promise = make(key);
    memo.set(key, promise);
  }
  return promise;
}

async function oneScope(run: (scope: TaskScope, id: number) => Promise<number>, count: number): Promise<unknown> {
  const scope = new TaskScope();
  const waits: Array<Promise<number>> = [];
  for (let id = 0; id < count; id++) waits.push(run(scope, id));
  await Promise.all(waits);
  return scope;
}

async function requestScopes(
  count: number,
  run: (scope: TaskScope, index: number) => Promise<number>,
): Promise<unknown> {
  const kept: TaskScope[] = [];
  for (let request = 0; request < count; request++) {
    const scope = new TaskScope();
    const waits: Array<Promise<number>> = [];
    for (let index = 0; index < PARTS; index++) waits.push(run(scope, index));
    await Promise.all(waits);
    kept.push(scope);
  }
  return kept;
}

const side = process.argv[2] as MemorySide | undefined;
if (side !== undefined && process.argv[1]?.endsWith('task-memory.js')) {
  if (gc === undefined) throw new Error('bench/task-memory: run with node --expose-gc');
  if (!MEMORY_SIDES.includes(side)) throw new Error(`bench/task-memory: unknown side ${side}`);
  process.stdout.write(`${JSON.stringify(await figuresOf(side))}\n`);
}
