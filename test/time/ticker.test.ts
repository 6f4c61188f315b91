import { SystemClock, VIRTUAL_CLOCK_EPOCH, VirtualClock } from '../../src/index.js';
import { createTicker } from '../../src/time/ticker.js';
import { FakeHost } from '../support/fake-host.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

describe('a VirtualClock ticker', () => {
  it('lets a for-await consumer handle the ticks at +1h, +2h and +3h of advance("3h"), each before the next', async () => {
    const clock = new VirtualClock();
    const ticker = clock.ticker('1h');
    const handled: Array<{ tick: number; handledAt: number }> = [];
    const consumer = (async () => {
      for await (const at of ticker) {
        await Promise.resolve();
        handled.push({ tick: at - VIRTUAL_CLOCK_EPOCH, handledAt: clock.now() - VIRTUAL_CLOCK_EPOCH });
      }
    })();

    await clock.advance('3h');
    ticker.stop();
    await consumer;

    expect(handled).toEqual([
      { tick: HOUR, handledAt: HOUR },
      { tick: 2 * HOUR, handledAt: 2 * HOUR },
      { tick: 3 * HOUR, handledAt: 3 * HOUR },
    ]);
  });

  it('does not deadlock advance when the tick handler sleeps on the same clock', async () => {
    const clock = new VirtualClock();
    const ticker = clock.ticker('1h');
    const finished: number[] = [];
    void (async () => {
      for await (const at of ticker) {
        await clock.sleep('10m');
        finished.push(clock.now() - at);
      }
    })();

    await clock.advance('3h');

    expect({ finished, pending: clock.pendingTimers() }).toEqual({ finished: [10 * MINUTE, 10 * MINUTE], pending: 2 });
    ticker.stop();
  });

  it('completes the sleep inside a tick handler within the same advance', async () => {
    const clock = new VirtualClock();
    const ticker = clock.ticker('1h');
    const finishedAt: number[] = [];
    void (async () => {
      for await (const _ of ticker) {
        await clock.sleep('10m');
        finishedAt.push(clock.now() - VIRTUAL_CLOCK_EPOCH);
      }
    })();

    await clock.advance('3h10m');
    ticker.stop();

    expect(finishedAt).toEqual([HOUR + 10 * MINUTE, 2 * HOUR + 10 * MINUTE, 3 * HOUR + 10 * MINUTE]);
  });

  it('buffers ticks for a slow consumer, delivering each in order with its own time', async () => {
    const clock = new VirtualClock();
    const ticker = clock.ticker('1h');
    const iterator = ticker[Symbol.asyncIterator]();

    await clock.advance('3h');
    const ticks = [await iterator.next(), await iterator.next(), await iterator.next()].map(
      (r) => r.value - VIRTUAL_CLOCK_EPOCH,
    );

    expect(ticks).toEqual([HOUR, 2 * HOUR, 3 * HOUR]);
    ticker.stop();
  });

  it('does not drift when the consumer takes longer than the period', async () => {
    const clock = new VirtualClock();
    const ticker = clock.ticker('1m');
    const ticks: number[] = [];
    void (async () => {
      for await (const at of ticker) {
        ticks.push(at - VIRTUAL_CLOCK_EPOCH);
        await clock.sleep('90s');
      }
    })();

    await clock.advance('4m');
    ticker.stop();

    expect(ticks).toEqual([1 * MINUTE, 2 * MINUTE, 3 * MINUTE]);
  });

  it('ends a waiting for-await loop when stopped', async () => {
    const clock = new VirtualClock();
    const ticker = clock.ticker('1h');
    let ended = false;
    const consumer = (async () => {
      for await (const _ of ticker) {
        // nothing
      }
      ended = true;
    })();
    await clock.advance('1h');

    ticker.stop();
    await consumer;

    expect({ ended, pending: clock.pendingTimers() }).toEqual({ ended: true, pending: 0 });
  });

  it('stops and disarms its timer when the consumer breaks out of the loop', async () => {
    const clock = new VirtualClock();
    const ticker = clock.ticker('1h');
    const consumer = (async () => {
      for await (const _ of ticker) break;
    })();

    await clock.advance('1h');
    await consumer;

    expect(clock.pendingTimers()).toBe(0);
  });

  it('stops when its signal aborts', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const ticker = clock.ticker('1h', { signal: controller.signal });
    const iterator = ticker[Symbol.asyncIterator]();
    const waiting = iterator.next();

    controller.abort();

    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects a zero period', () => {
    expect(() => new VirtualClock().ticker(0)).toThrow(/ticker period must be at least 1 ms/);
  });
});

describe('a coalescing ticker (the system clock rule)', () => {
  it('gives a slow consumer only the latest tick time, then waits for the next tick', async () => {
    const clock = new VirtualClock();
    const ticker = createTicker(clock, '1h', 'coalesce');
    const iterator = ticker[Symbol.asyncIterator]();

    await clock.advance('3h');
    const latest = await iterator.next();
    const following = iterator.next();
    await clock.advance('1h');

    expect([latest.value - VIRTUAL_CLOCK_EPOCH, (await following).value - VIRTUAL_CLOCK_EPOCH]).toEqual([
      3 * HOUR,
      4 * HOUR,
    ]);
    ticker.stop();
  });

  it('is what SystemClock tickers do', async () => {
    const host = new FakeHost();
    const ticker = new SystemClock({ host }).ticker(1_000);
    const iterator = ticker[Symbol.asyncIterator]();

    host.runUntil(3_000);
    const latest = await iterator.next();
    const following = iterator.next();
    host.runUntil(4_000);

    expect([latest.value, (await following).value]).toEqual([3_000, 4_000]);
    ticker.stop();
  });

  it('skips the slots a late timer missed and re-arms for the next one', () => {
    const host = new FakeHost();
    const ticker = new SystemClock({ host }).ticker(1_000);

    host.fireNextLate(2_500);

    expect({ rearmedFor: host.delays.at(-1), at: host.time }).toEqual({ rearmedFor: 500, at: 3_500 });
    ticker.stop();
  });

  it('keeps its period when the wall clock is stepped back, counting slots on monotonic time', () => {
    const host = new FakeHost();
    const ticker = new SystemClock({ host }).ticker(1_000);
    host.runUntil(1_000);

    host.wallOffset = -3_600_000;
    host.runUntil(2_000);

    expect(host.delays).toEqual([1_000, 1_000, 1_000]);
    ticker.stop();
  });

  it('hands out wall-clock tick times, whatever the monotonic clock reads', async () => {
    const host = new FakeHost();
    host.wallOffset = 1_700_000_000_000;
    const ticker = new SystemClock({ host }).ticker(1_000);
    const iterator = ticker[Symbol.asyncIterator]();

    host.runUntil(1_000);

    expect((await iterator.next()).value).toBe(1_700_000_001_000);
    ticker.stop();
  });
});
