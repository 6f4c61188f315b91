/**
 * The dependency graphs of the bootstrap benchmark and the classes generated from them, shared by the warm rows
 * (one process, bench/bootstrap.ts) and the cold ones (a fresh process per boot, cold-boot.ts). Nothing here loads
 * either framework, so that a cold boot times its own framework's loading.
 */

/** Each component's constructor dependencies, as indices of earlier components. */
export type Graph = ReadonlyArray<readonly number[]>;

/** A class as the generated graphs make them. */
export type GeneratedClass = new (...dependencies: never[]) => object;

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
export function wideGraph(size: number, roots: number, seed: number): Graph {
  const random = prng(seed);
  return Array.from({ length: size }, (_, index) => {
    if (index < roots) return [];
    const wanted = 1 + Math.floor(random() * 3);
    const dependencies = new Set<number>();
    while (dependencies.size < Math.min(wanted, index)) dependencies.add(Math.floor(random() * index));
    return [...dependencies];
  });
}

/** The wide graph of every wide row: 1,000 components, 10 roots. */
export const WIDE_GRAPH = (): Graph => wideGraph(1_000, 10, 20_261_101);

/** Every component injects the one before it. */
export function chainGraph(size: number): Graph {
  return Array.from({ length: size }, (_, index) => (index === 0 ? [] : [index - 1]));
}

/** Counts the hooks one run called. */
export interface HookCounter {
  calls: number;
}

/** One timed run: its total, its phases (Ordo: create, start, stop; NestJS: create with init, close), its hook calls. */
export interface Outcome {
  ms: number;
  phases: number[];
  hooks: number;
}

/** How the Ordo hooks are written: without a parameter, or reading the AbortSignal they are given. */
export type HookStyle = 'plain' | 'signal';

/** One class per node, named `c<index>`, taking its dependencies as constructor arguments. */
export function generateClasses(
  graph: Graph,
  counter: HookCounter,
  style: HookStyle,
  decorate: (type: GeneratedClass, dependencies: GeneratedClass[]) => void,
): GeneratedClass[] {
  const classes: GeneratedClass[] = [];
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

function plainClass(counter: HookCounter): GeneratedClass {
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

function signalClass(counter: HookCounter): GeneratedClass {
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

/** The arguments of a method decorator applied by hand to `type.prototype[name]`. */
export function method(type: GeneratedClass, name: string): [object, string, PropertyDescriptor] {
  return [type.prototype as object, name, Object.getOwnPropertyDescriptor(type.prototype, name)!];
}

/** Throws unless a run called one start and one stop hook per component. */
export function checkHooks(who: string, outcome: Outcome, size: number): void {
  if (outcome.hooks !== 2 * size) {
    throw new Error(`${who} called ${outcome.hooks} start and stop hooks for ${size} components; expected ${2 * size}`);
  }
}
