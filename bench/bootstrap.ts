/**
 * Bootstrap cost against NestJS: the same dependency graph, built at runtime as classes with constructor injection,
 * created, started and stopped by Ordo (`@Component` + `@OnStart`/`@OnStop`, one `@Module`, `Ordo.create`,
 * `start()`, `stop()`) and by NestJS (`@Injectable` providers with `onModuleInit`/`onModuleDestroy`, one
 * `@Module`, `NestFactory.createApplicationContext`, which initialises, then `close()`).
 *
 * Three shapes: a wide graph of 1,000 components (10 roots, every other one injecting 1–3 random earlier ones,
 * from a seeded PRNG), a deep chain of 5,000 (each injects the one before), and an empty app. Both sides must
 * call exactly one start hook and one stop hook per component. Classes are generated afresh for every run, which
 * is not timed (decorators run when a real app's modules are imported); logging is off on both sides (Ordo's
 * SilentLogger, Nest's `logger: false`). The classes carry no `design:paramtypes`, so injection is explicit on both
 * sides: inversify's `inject(Dep)` and Nest's `@Inject(Dep)`, applied to constructor parameters by hand.
 *
 * Every Ordo hook is given an AbortSignal of its own, whether it declares a parameter or not. The first row's hooks
 * ignore it, like most stop hooks; the second row runs the wide graph again with Ordo hooks that read it (NestJS
 * hooks have none).
 */
import { Inject, Injectable, Module as NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { inject } from 'inversify';
import { Component, Logger, Module, OnStart, OnStop, Ordo, SilentLogger, type AnyClass } from '../src/index.js';
import { type BenchRow, median } from './report.js';

const NEST = '@nestjs/core 12';

/** Runs per side: the deep chain costs NestJS seconds a run, so it gets fewer; the empty app is too quick to time once. */
const PLAN = {
  wide: { warmUps: 5, repetitions: 21 },
  chain: { warmUps: 1, repetitions: 5 },
  empty: { warmUps: 20, repetitions: 51 },
} as const;

/** Each component's constructor dependencies, as indices of earlier components. */
type Graph = ReadonlyArray<readonly number[]>;

/** mulberry32: a small seeded PRNG, so both frameworks (and every run) get the same graph. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `roots` components without dependencies, then components injecting 1–3 distinct earlier ones at random. */
function wideGraph(size: number, roots: number, seed: number): Graph {
  const random = prng(seed);
  return Array.from({ length: size }, (_, index) => {
    if (index < roots) return [];
    const wanted = 1 + Math.floor(random() * 3);
    const dependencies = new Set<number>();
    while (dependencies.size < Math.min(wanted, index)) dependencies.add(Math.floor(random() * index));
    return [...dependencies];
  });
}

/** Every component injects the one before it. */
function chainGraph(size: number): Graph {
  return Array.from({ length: size }, (_, index) => (index === 0 ? [] : [index - 1]));
}

/** Counts the hooks one run called. */
interface HookCounter {
  calls: number;
}

/** One timed run: its total, its phases (Ordo: create, start, stop; NestJS: create with init, close), its hook calls. */
interface Outcome {
  ms: number;
  phases: number[];
  hooks: number;
}

/** How the Ordo hooks are written: without a parameter, or reading the AbortSignal they are given. */
type HookStyle = 'plain' | 'signal';

/** One class per node, named `c<index>`, taking its dependencies as constructor arguments. */
function generateClasses(
  graph: Graph,
  counter: HookCounter,
  style: HookStyle,
  decorate: (type: AnyClass, dependencies: AnyClass[]) => void,
): AnyClass[] {
  const classes: AnyClass[] = [];
  graph.forEach((dependencyIndices, index) => {
    const Generated = style === 'plain' ? plainClass(counter) : signalClass(counter);
    Object.defineProperty(Generated, 'name', { value: `c${index}` });
    decorate(
      Generated,
      dependencyIndices.map((dependency) => classes[dependency]!),
    );
    classes.push(Generated);
  });
  return classes;
}

function plainClass(counter: HookCounter): AnyClass {
  return class {
    readonly dependencies: unknown[];
    constructor(...dependencies: unknown[]) {
      this.dependencies = dependencies;
    }
    start(): void {
      counter.calls++;
    }
    stop(): void {
      counter.calls++;
    }
    onModuleInit(): void {
      counter.calls++;
    }
    onModuleDestroy(): void {
      counter.calls++;
    }
  };
}

function signalClass(counter: HookCounter): AnyClass {
  return class {
    readonly dependencies: unknown[];
    constructor(...dependencies: unknown[]) {
      this.dependencies = dependencies;
    }
    start(signal: AbortSignal): void {
      if (!signal.aborted) counter.calls++;
    }
    stop(signal: AbortSignal): void {
      if (!signal.aborted) counter.calls++;
    }
  };
}

function method(type: AnyClass, name: string): [object, string, PropertyDescriptor] {
  return [type.prototype as object, name, Object.getOwnPropertyDescriptor(type.prototype, name)!];
}

function ordoClasses(graph: Graph, counter: HookCounter, style: HookStyle): AnyClass[] {
  return generateClasses(graph, counter, style, (type, dependencies) => {
    Component()(type);
    OnStart()(...method(type, 'start'));
    OnStop()(...method(type, 'stop'));
    dependencies.forEach((dependency, index) => inject(dependency)(type, undefined, index));
  });
}

function nestClasses(graph: Graph, counter: HookCounter): AnyClass[] {
  return generateClasses(graph, counter, 'plain', (type, dependencies) => {
    Injectable()(type);
    dependencies.forEach((dependency, index) => Inject(dependency)(type, undefined as never, index));
  });
}

const silent = new SilentLogger();

async function runOrdo(graph: Graph, style: HookStyle): Promise<Outcome> {
  const counter: HookCounter = { calls: 0 };
  const components = ordoClasses(graph, counter, style);
  class AppModule {}
  Module({ components })(AppModule);

  const began = performance.now();
  const app = await Ordo.create(AppModule, { overrides: [[Logger, silent]] });
  const created = performance.now();
  await app.start();
  const started = performance.now();
  const report = await app.stop();
  const stopped = performance.now();

  if (!report.ok) throw new Error(`Ordo did not stop cleanly: ${JSON.stringify(report.failed)}`);
  return { ms: stopped - began, phases: [created - began, started - created, stopped - started], hooks: counter.calls };
}

async function runNest(graph: Graph): Promise<Outcome> {
  const counter: HookCounter = { calls: 0 };
  const providers = nestClasses(graph, counter);
  class AppModule {}
  NestModule({ providers: providers as never[] })(AppModule);

  const began = performance.now();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  const created = performance.now();
  await app.close();
  const closed = performance.now();

  return { ms: closed - began, phases: [created - began, closed - created], hooks: counter.calls };
}

function checkHooks(who: string, outcome: Outcome, size: number): void {
  if (outcome.hooks !== 2 * size) {
    throw new Error(`${who} called ${outcome.hooks} start and stop hooks for ${size} components; expected ${2 * size}`);
  }
}

/**
 * Lets the event loop turn before a run. inversify and NestJS hold some objects through WeakRefs, which V8 keeps
 * alive until the current job ends; runs chained in one long microtask chain would keep every earlier app alive and
 * make each later run pay for scavenging them. A real process boots once, so every run starts on a fresh turn.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const ms = (value: number): string => (value >= 10 ? String(Math.round(value)) : value.toFixed(2));

/** The median of each phase over the runs. */
function phaseMedians(outcomes: readonly Outcome[]): number[] {
  return outcomes[0]!.phases.map((_, phase) => median(outcomes.map((outcome) => outcome.phases[phase]!)));
}

/** Warm-ups of each side, then alternating runs, so that neither always runs on a warmer or fuller heap. */
async function compare(
  benchmark: string,
  graph: Graph,
  { warmUps, repetitions }: { warmUps: number; repetitions: number },
  style: HookStyle = 'plain',
): Promise<BenchRow> {
  const size = graph.length;
  for (let warmUp = 0; warmUp < warmUps; warmUp++) {
    await nextTurn();
    checkHooks('Ordo (warm-up)', await runOrdo(graph, style), size);
    await nextTurn();
    checkHooks('NestJS (warm-up)', await runNest(graph), size);
  }
  const ordo: Outcome[] = [];
  const nest: Outcome[] = [];
  for (let repetition = 0; repetition < repetitions; repetition++) {
    await nextTurn();
    const mine = await runOrdo(graph, style);
    checkHooks('Ordo', mine, size);
    ordo.push(mine);
    await nextTurn();
    const theirs = await runNest(graph);
    checkHooks('NestJS', theirs, size);
    nest.push(theirs);
  }

  const [create, start, stop] = phaseMedians(ordo).map(ms);
  const [init, close] = phaseMedians(nest).map(ms);
  const hooks =
    size === 0
      ? ''
      : `hooks called per run: Ordo ${ordo.at(-1)!.hooks}, NestJS ${nest.at(-1)!.hooks} (2 x ${size.toLocaleString('en-US')}); `;
  const runs =
    repetitions <= 15
      ? `; all runs in ms: Ordo ${ordo.map((o) => ms(o.ms)).join(', ')}; NestJS ${nest.map((o) => ms(o.ms)).join(', ')}`
      : `; fastest run: Ordo ${ms(Math.min(...ordo.map((o) => o.ms)))} ms, NestJS ${ms(Math.min(...nest.map((o) => o.ms)))} ms`;
  return {
    benchmark,
    ordo: median(ordo.map((o) => o.ms)),
    peer: median(nest.map((o) => o.ms)),
    peerName: NEST,
    unit: 'ms',
    note:
      `${hooks}median of ${repetitions} alternating runs after ${warmUps} warm-up${warmUps === 1 ? '' : 's'} each; ` +
      `phases (median ms): Ordo create ${create}, start ${start}, stop ${stop}; NestJS create+init ${init}, close ${close}${runs}`,
  };
}

/** The rows of this module: the wide graph (with hooks that take no signal, then with hooks that read one), the deep chain and the empty app. */
export async function benchmarks(): Promise<BenchRow[]> {
  return [
    await compare('1,000 components, wide graph: create + start + stop', wideGraph(1_000, 10, 20_261_101), PLAN.wide),
    await compare(
      '1,000 components, wide graph, Ordo hooks reading their signal',
      wideGraph(1_000, 10, 20_261_101),
      PLAN.wide,
      'signal',
    ),
    await compare('5,000 components, deep chain: create + start + stop', chainGraph(5_000), PLAN.chain),
    await compare('empty app: create + start + stop', [], PLAN.empty),
  ];
}
