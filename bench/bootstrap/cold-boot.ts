/**
 * One cold boot, in the fresh process bench/bootstrap.ts spawns for it: `node cold-boot.js ordo|nest` loads that
 * framework (timed), generates the wide graph's classes (not timed), boots them once (timed: create, start and
 * stop) and prints `{ importMs, bootMs, phases, hooks }` as JSON. A service boots once per process, before V8 has
 * optimised anything and with every module still to load; the warm rows measure neither.
 */
import { WIDE_GRAPH, checkHooks, type HookCounter, type Outcome } from './graphs.js';

const side = process.argv[2];
const counter: HookCounter = { calls: 0 };
const graph = WIDE_GRAPH();

const loading = performance.now();
let importMs: number;
let outcome: Outcome;
if (side === 'ordo') {
  const { bootOrdo, ordoClasses } = await import('./ordo-side.js');
  importMs = performance.now() - loading;
  outcome = await bootOrdo(ordoClasses(graph, counter, 'plain'), counter);
} else if (side === 'nest') {
  const { bootNest, nestClasses } = await import('./nest-side.js');
  importMs = performance.now() - loading;
  outcome = await bootNest(nestClasses(graph, counter), counter);
} else {
  throw new Error(`usage: node cold-boot.js ordo|nest (got ${String(side)})`);
}
checkHooks(side, outcome, graph.length);
process.stdout.write(
  `${JSON.stringify({ importMs, bootMs: outcome.ms, phases: outcome.phases, hooks: outcome.hooks })}\n`,
);
