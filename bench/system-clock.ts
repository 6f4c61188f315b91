/**
 * The cost of going through SystemClock instead of Node's timers directly. The peer side calls setTimeout and
 * friends itself on purpose: it is the baseline SystemClock wraps. Both sides arm ref'd timers (SystemClock's
 * default), so the rows compare the wrapper, not ref counting.
 */
import { setTimeout as sleepWithNode } from 'node:timers/promises';
import { Bench } from 'tinybench';
import { SystemClock } from '../src/index.js';
import type { BenchRow } from './report.js';

const CONCURRENT_SLEEPS = 1_000;

interface Pair {
  benchmark: string;
  peerName: string;
  /** How many operations one call of a task performs, to report time per operation. */
  opsPerCall: number;
  ordo: () => unknown;
  peer: () => unknown;
}

const clock = new SystemClock();

const pairs: Pair[] = [
  {
    benchmark: 'arm and cancel a timer',
    peerName: 'setTimeout() + clearTimeout',
    opsPerCall: 1,
    ordo: () => clock.setTimer(60_000, noop).cancel(),
    peer: () => clearTimeout(setTimeout(noop, 60_000)),
  },
  {
    benchmark: 'arm, reset and cancel a timer',
    peerName: 'setTimeout() + refresh + clearTimeout',
    opsPerCall: 1,
    ordo: () => {
      const timer = clock.setTimer(60_000, noop);
      timer.reset(60_000);
      timer.cancel();
    },
    peer: () => clearTimeout(setTimeout(noop, 60_000).refresh()),
  },
  {
    benchmark: `sleep(0), ${CONCURRENT_SLEEPS.toLocaleString('en-US')} at once`,
    peerName: 'new Promise(setTimeout 0)',
    opsPerCall: CONCURRENT_SLEEPS,
    ordo: () => Promise.all(Array.from({ length: CONCURRENT_SLEEPS }, () => clock.sleep(0))),
    peer: () =>
      Promise.all(
        Array.from({ length: CONCURRENT_SLEEPS }, () => new Promise<void>((resolve) => setTimeout(resolve, 0))),
      ),
  },
  {
    benchmark: 'abortable sleep, aborted',
    peerName: 'timers/promises setTimeout',
    opsPerCall: 1,
    ordo: async () => {
      const controller = new AbortController();
      const sleeping = clock.sleep(60_000, controller.signal).catch(noop);
      controller.abort();
      await sleeping;
    },
    peer: async () => {
      const controller = new AbortController();
      const sleeping = sleepWithNode(60_000, undefined, { signal: controller.signal }).catch(noop);
      controller.abort();
      await sleeping;
    },
  },
];

function noop(): void {}

/** Mean nanoseconds per operation of a finished tinybench task. */
function nanosecondsPerOp(bench: Bench, name: string, opsPerCall: number): number {
  const result = bench.getTask(name)?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`benchmark task ${name} did not complete`);
  return (result.latency.mean * 1e6) / opsPerCall;
}

/**
 * Two passes, the second with each pair's order swapped, averaged: tinybench runs tasks one after another, and
 * the task that runs second in a pair tends to inherit a warmer (or more cluttered) heap.
 */
export async function benchmarks(): Promise<BenchRow[]> {
  const totals = pairs.map(() => ({ ordo: 0, peer: 0 }));
  for (const ordoFirst of [true, false]) {
    const bench = new Bench({ time: 400, warmupTime: 100 });
    for (const pair of pairs) {
      const tasks: Array<[string, () => unknown]> = [
        [`ordo: ${pair.benchmark}`, pair.ordo],
        [`peer: ${pair.benchmark}`, pair.peer],
      ];
      for (const [name, fn] of ordoFirst ? tasks : tasks.reverse()) bench.add(name, fn);
    }
    await bench.run();
    pairs.forEach((pair, i) => {
      totals[i]!.ordo += nanosecondsPerOp(bench, `ordo: ${pair.benchmark}`, pair.opsPerCall) / 2;
      totals[i]!.peer += nanosecondsPerOp(bench, `peer: ${pair.benchmark}`, pair.opsPerCall) / 2;
    });
  }
  return pairs.map((pair, i) => ({
    benchmark: pair.benchmark,
    ordo: totals[i]!.ordo,
    peer: totals[i]!.peer,
    peerName: pair.peerName,
    unit: 'ns/op',
    note: i === 0 ? 'mean of two tinybench passes, the second with each pair in the opposite order' : undefined,
  }));
}
