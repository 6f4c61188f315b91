import { setImmediate as nextMacrotask } from 'node:timers';
import { MAX_EXTRA_TURNS, pumpSteps } from '../../src/time/step-pump.js';

function hop(): Promise<void> {
  return new Promise((resolve) => nextMacrotask(resolve));
}

/** Runs `work` from the first step and reports, at the second step, how far it got. */
async function progressSeenByNextStep(work: (progress: { done: boolean }) => Promise<void>): Promise<boolean> {
  const progress = { done: false };
  let steps = 0;
  let seen = false;
  await pumpSteps(() => {
    steps++;
    if (steps === 1) void work(progress);
    else seen = progress.done;
    return steps < 2;
  });
  return seen;
}

describe('pumpSteps', () => {
  it('lets a long chain of awaits started by one step finish before the next step', async () => {
    const seen = await progressSeenByNextStep(async (progress) => {
      for (let i = 0; i < 10_000; i++) await Promise.resolve();
      progress.done = true;
    });

    expect(seen).toBe(true);
  });

  it('lets process.nextTick callbacks run before the next step', async () => {
    const seen = await progressSeenByNextStep(async (progress) => {
      await new Promise<void>((resolve) => process.nextTick(resolve));
      progress.done = true;
    });

    expect(seen).toBe(true);
  });

  it('follows work that hops through setImmediate a few times before the next step', async () => {
    const seen = await progressSeenByNextStep(async (progress) => {
      for (let i = 0; i < 5; i++) await hop();
      progress.done = true;
    });

    expect(seen).toBe(true);
  });

  it(`stops following setImmediate hops after ${MAX_EXTRA_TURNS} turns instead of waiting forever`, async () => {
    let hops = 0;
    let running = true;
    const endless = (async () => {
      while (running) {
        await hop();
        hops++;
      }
    })();
    let steps = 0;
    const hopsAtStep: number[] = [];

    await pumpSteps(() => {
      hopsAtStep.push(hops);
      return ++steps < 2;
    });
    running = false;
    await endless;

    const waitedBetweenSteps = hopsAtStep[1]! - hopsAtStep[0]!;
    expect(waitedBetweenSteps).toBeGreaterThanOrEqual(MAX_EXTRA_TURNS - 1);
    expect(waitedBetweenSteps).toBeLessThanOrEqual(MAX_EXTRA_TURNS + 1);
  });

  it('runs steps until one returns false', async () => {
    let calls = 0;

    await pumpSteps(() => ++calls < 100);

    expect(calls).toBe(100);
  });

  it('rejects with what a step throws', async () => {
    const failure = new Error('step failed');

    await expect(
      pumpSteps(() => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });

  it('lets two pumps run at once, each to its end', async () => {
    const calls = { a: 0, b: 0 };

    await Promise.all([pumpSteps(() => ++calls.a < 50), pumpSteps(() => ++calls.b < 70)]);

    expect(calls).toEqual({ a: 50, b: 70 });
  });
});
