import fc from 'fast-check';
import { VIRTUAL_CLOCK_EPOCH, VirtualClock } from '../../src/index.js';

describe('VirtualClock (property)', () => {
  it('fires any set of timers across any sequence of advances in due-time order, each once, at its due time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -100, max: 10_000 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 4_000 }), { minLength: 1, maxLength: 8 }),
        async (delays, advances) => {
          const clock = new VirtualClock();
          const fired: Array<{ id: number; at: number }> = [];
          delays.forEach((delay, id) =>
            clock.setTimer(delay, () => fired.push({ id, at: clock.now() - VIRTUAL_CLOCK_EPOCH })),
          );

          for (const step of advances) await clock.advance(step);

          const elapsed = advances.reduce((sum, step) => sum + step, 0);
          const expected = delays
            .map((delay, id) => ({ id, at: Math.max(0, delay) }))
            .filter((timer) => timer.at <= elapsed)
            .sort((a, b) => a.at - b.at || a.id - b.id);
          expect(fired).toEqual(expected);
          expect(clock.pendingTimers()).toBe(delays.length - expected.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps time in whole milliseconds whatever fractional start, advances, targets and delays it is given', async () => {
    const fraction = fc.constantFrom(0, 0.25, 0.4999, 0.5, 0.5001, 0.75);
    const fractional = (max: number) =>
      fc.tuple(fc.integer({ min: 0, max }), fraction).map(([whole, part]) => whole + part);
    const step = fc.record({ kind: fc.constantFrom('advance', 'advanceTo', 'setTimer'), ms: fractional(5_000) });
    await fc.assert(
      fc.asyncProperty(
        fractional(1e12),
        fc.boolean(),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        async (size, negative, steps) => {
          const start = negative ? -size : size;
          const clock = new VirtualClock(start);
          let expected = Math.round(start) + 0;
          const fired: number[] = [];
          const seen: number[] = [clock.now()];

          for (const { kind, ms } of steps) {
            if (kind === 'advance') await clock.advance(ms);
            else if (kind === 'advanceTo') await clock.advanceTo(clock.now() + ms);
            else clock.setTimer(ms, () => fired.push(clock.now()));
            if (kind !== 'setTimer') expected += Math.round(ms);
            seen.push(clock.now());
          }
          await clock.runAll();

          expect(seen.at(-1)).toBe(expected);
          expect([...seen, ...fired, clock.now()].filter((t) => !Number.isInteger(t))).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
