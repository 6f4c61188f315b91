/**
 * Virtual time under load: 1,000 tickers with periods spread from 1 s to 1 h, advanced through one virtual day,
 * every tick taken by an async `for await` handler. Ordo's VirtualClock against @sinonjs/fake-timers
 * (`withGlobal(globalThis).createClock()`, no global patched) with `setInterval` and `tickAsync`, which likewise
 * lets promise callbacks run between timers. Both must count the same ticks.
 */
import { withGlobal } from '@sinonjs/fake-timers';
import { VIRTUAL_CLOCK_EPOCH, VirtualClock } from '../src/index.js';
import { type BenchRow, median } from './report.js';

const TICKERS = 1_000;
const DAY = 86_400_000;
/** Runs of each side before measuring, so that both are compiled and neither pays for the first run. */
const WARM_UPS = 2;
/** Measured rounds; each runs both sides once. */
const ROUNDS = 8;

const PERIODS = Array.from({ length: TICKERS }, (_, i) =>
  Math.round(1_000 + ((3_600_000 - 1_000) * i) / (TICKERS - 1)),
);
const EXPECTED_TICKS = PERIODS.reduce((sum, period) => sum + Math.floor(DAY / period), 0);

interface Outcome {
  ms: number;
  ticks: number;
}

/** The handler both sides run for every tick: a little async work, then count. */
async function consume(ticks: AsyncIterable<number>, count: () => void): Promise<void> {
  for await (const _ of ticks) {
    await Promise.resolve();
    count();
  }
}

async function runOrdo(): Promise<Outcome> {
  const clock = new VirtualClock();
  let ticks = 0;
  const tickers = PERIODS.map((period) => clock.ticker(period));
  const consumers = tickers.map((ticker) => consume(ticker, () => ticks++));

  const started = performance.now();
  await clock.advance('24h');
  const ms = performance.now() - started;

  for (const ticker of tickers) ticker.stop();
  await Promise.all(consumers);
  return { ms, ticks };
}

/** An async iterable over a fake-timers interval, buffering ticks like Ordo's virtual ticker. */
function fakeTicker(clock: ReturnType<ReturnType<typeof withGlobal>['createClock']>, period: number) {
  const unclaimed: number[] = [];
  const waiting: Array<(result: IteratorResult<number>) => void> = [];
  let stopped = false;
  const interval = clock.setInterval(() => {
    const consumer = waiting.shift();
    if (consumer) consumer({ value: clock.now, done: false });
    else unclaimed.push(clock.now);
  }, period);
  const iterator: AsyncIterableIterator<number> = {
    next: () => {
      if (stopped) return Promise.resolve({ value: undefined, done: true });
      const at = unclaimed.shift();
      if (at !== undefined) return Promise.resolve({ value: at, done: false });
      return new Promise((resolve) => waiting.push(resolve));
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  const stop = (): void => {
    stopped = true;
    clock.clearInterval(interval);
    for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
  };
  return { iterator, stop };
}

async function runFakeTimers(): Promise<Outcome> {
  const clock = withGlobal(globalThis).createClock(VIRTUAL_CLOCK_EPOCH);
  let ticks = 0;
  const tickers = PERIODS.map((period) => fakeTicker(clock, period));
  const consumers = tickers.map((ticker) => consume(ticker.iterator, () => ticks++));

  const started = performance.now();
  await clock.tickAsync(DAY);
  const ms = performance.now() - started;

  for (const ticker of tickers) ticker.stop();
  await Promise.all(consumers);
  return { ms, ticks };
}

function checkTicks(who: string, outcome: Outcome): void {
  if (outcome.ticks !== EXPECTED_TICKS) {
    throw new Error(`${who} handled ${outcome.ticks} ticks in one virtual day; expected ${EXPECTED_TICKS}`);
  }
}

/** Lets the event loop turn, so that no run starts inside the previous one's last job. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const SIDES = [
  { name: 'Ordo VirtualClock', run: runOrdo },
  { name: '@sinonjs/fake-timers', run: runFakeTimers },
] as const;

async function timed(side: (typeof SIDES)[number]): Promise<number> {
  await nextTurn();
  const outcome = await side.run();
  checkTicks(side.name, outcome);
  return outcome.ms;
}

/**
 * Warms both sides up, then runs rounds in which each side runs once, the side going first alternating from round
 * to round, so that neither always runs on a warmer or a more fragmented heap.
 */
export async function benchmarks(): Promise<BenchRow[]> {
  for (let warmUp = 0; warmUp < WARM_UPS; warmUp++) for (const side of SIDES) await timed(side);
  const ordo: number[] = [];
  const peer: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    const ms: number[] = [];
    for (const index of order) ms[index] = await timed(SIDES[index]!);
    ordo.push(ms[0]!);
    peer.push(ms[1]!);
  }
  const ratios = ordo.map((mine, round) => mine / peer[round]!);
  const range = (values: number[], digits: number): string =>
    `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
  return [
    {
      benchmark: `1,000 tickers (1 s..1 h) through 1 virtual day`,
      ordo: median(ordo),
      peer: median(peer),
      peerName: '@sinonjs/fake-timers tickAsync',
      unit: 'ms',
      note:
        `both handled ${EXPECTED_TICKS.toLocaleString('en-US')} ticks per run; median of ${ROUNDS} rounds after ` +
        `${WARM_UPS} warm-up runs each, the side going first alternating; ` +
        `per-round ratio ${range(ratios, 2)}x (Ordo ${range(ordo, 0)} ms; fake-timers ${range(peer, 0)} ms)`,
    },
  ];
}
