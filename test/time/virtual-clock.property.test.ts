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
          delays.forEach((delay, id) => clock.setTimer(delay, () => fired.push({ id, at: clock.now() - VIRTUAL_CLOCK_EPOCH })));

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
});
