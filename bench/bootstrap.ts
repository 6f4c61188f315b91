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
 *
 * Those rows re-boot warm, in this process. The cold rows boot the wide graph once per fresh process
 * (bootstrap/cold-boot.ts), as a service does, and time loading each framework too.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { checkHooks, chainGraph, WIDE_GRAPH, type Graph, type HookStyle, type Outcome } from './bootstrap/graphs.js';
import { NEST, runNest } from './bootstrap/nest-side.js';
import { runOrdo } from './bootstrap/ordo-side.js';
import { type BenchRow, median } from './report.js';

/** Runs per side: the deep chain costs NestJS seconds a run, so it gets fewer; the empty app is too quick to time once. */
const PLAN = {
  wide: { warmUps: 5, repetitions: 21 },
  chain: { warmUps: 1, repetitions: 5 },
  empty: { warmUps: 20, repetitions: 51 },
} as const;

/** Fresh processes per side for the cold rows, alternating sides. */
const COLD_RUNS = 7;

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

/** What one cold boot's process printed (see bootstrap/cold-boot.ts). */
interface ColdBoot {
  importMs: number;
  bootMs: number;
  phases: number[];
}

const coldBootScript = fileURLToPath(new URL('./bootstrap/cold-boot.js', import.meta.url));

async function coldBoot(side: 'ordo' | 'nest'): Promise<ColdBoot> {
  const { stdout } = await promisify(execFile)(process.execPath, [coldBootScript, side]);
  return JSON.parse(stdout) as ColdBoot;
}

/**
 * The wide graph booted once per fresh process, `COLD_RUNS` processes per side, alternating sides and which goes
 * first in each pair: one row for the boot (create + start + stop), one for loading the framework before it.
 */
async function compareCold(): Promise<BenchRow[]> {
  const ordo: ColdBoot[] = [];
  const nest: ColdBoot[] = [];
  for (let run = 0; run < COLD_RUNS; run++) {
    if (run % 2 === 0) {
      ordo.push(await coldBoot('ordo'));
      nest.push(await coldBoot('nest'));
    } else {
      nest.push(await coldBoot('nest'));
      ordo.push(await coldBoot('ordo'));
    }
  }
  const all = (boots: readonly ColdBoot[], of: 'importMs' | 'bootMs') => boots.map((boot) => ms(boot[of])).join(', ');
  const phases = (boots: readonly ColdBoot[]) =>
    boots[0]!.phases.map((_, phase) => ms(median(boots.map((boot) => boot.phases[phase]!))));
  const [create, start, stop] = phases(ordo);
  const [init, close] = phases(nest);
  const note = (of: 'importMs' | 'bootMs') =>
    `median of ${COLD_RUNS} fresh processes per side, alternating; all runs in ms: Ordo ${all(ordo, of)}; NestJS ${all(nest, of)}`;
  return [
    {
      benchmark: '1,000 components, wide graph, cold: the first create + start + stop of a fresh process',
      ordo: median(ordo.map((boot) => boot.bootMs)),
      peer: median(nest.map((boot) => boot.bootMs)),
      peerName: NEST,
      unit: 'ms',
      note:
        `${note('bootMs')}; phases (median ms): Ordo create ${create}, start ${start}, stop ${stop}; ` +
        `NestJS create+init ${init}, close ${close}; hooks are checked in each process`,
    },
    {
      benchmark: 'cold: loading the framework (Ordo with inversify; @nestjs/core with @nestjs/common)',
      ordo: median(ordo.map((boot) => boot.importMs)),
      peer: median(nest.map((boot) => boot.importMs)),
      peerName: NEST,
      unit: 'ms',
      note: note('importMs'),
    },
  ];
}

/**
 * The rows of this module: the wide graph warm (with hooks that take no signal, then with hooks that read one) and
 * cold, the deep chain and the empty app.
 */
export async function benchmarks(): Promise<BenchRow[]> {
  return [
    await compare('1,000 components, wide graph: create + start + stop', WIDE_GRAPH(), PLAN.wide),
    await compare('1,000 components, wide graph, Ordo hooks reading their signal', WIDE_GRAPH(), PLAN.wide, 'signal'),
    ...(await compareCold()),
    await compare('5,000 components, deep chain: create + start + stop', chainGraph(5_000), PLAN.chain),
    await compare('empty app: create + start + stop', [], PLAN.empty),
  ];
}
