import { setImmediate as nextMacrotask } from 'node:timers';
import { OrdoError, VIRTUAL_CLOCK_EPOCH, VirtualClock, VirtualClockError } from '../../src/index.js';

const SECOND = 1_000;
const MINUTE = 60_000;

function hop(): Promise<void> {
  return new Promise((resolve) => nextMacrotask(resolve));
}

describe('VirtualClock time', () => {
  it('starts at 2026-01-01T00:00:00Z by default', () => {
    expect(new VirtualClock().date().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('starts at the given date', () => {
    const start = new Date('2030-06-15T12:00:00Z');

    expect(new VirtualClock(start).now()).toBe(start.getTime());
  });

  it('rejects a start that is not a valid time', () => {
    expect(() => new VirtualClock(new Date('nonsense'))).toThrow(VirtualClockError);
  });

  it('moves now to the end of the window after an advance', async () => {
    const clock = new VirtualClock();

    await clock.advance('7s');

    expect(clock.now()).toBe(VIRTUAL_CLOCK_EPOCH + 7 * SECOND);
  });

  it('rejects an advance by an invalid duration', async () => {
    await expect(new VirtualClock().advance('7 parsecs')).rejects.toMatchObject({ code: 'ORDO_INVALID_DURATION' });
  });

  it('rejects a start beyond the range of Date', () => {
    expect(() => new VirtualClock(8.64e15 + 1)).toThrow(expect.objectContaining({ code: 'ORDO_INVALID_TIME' }));
  });
});

describe('VirtualClock whole milliseconds', () => {
  it('rounds a fractional start to the nearest millisecond', () => {
    expect([new VirtualClock(0.25).now(), new VirtualClock(1000.5).now()]).toEqual([0, 1001]);
  });

  it('rounds a fractional advanceTo target, firing a timer due at the rounded time', async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.setTimer(1001, () => fired.push(clock.now()));

    await clock.advanceTo(1000.5);

    expect({ fired, now: clock.now() }).toEqual({ fired: [1001], now: 1001 });
  });

  it('takes an advanceTo target that rounds to now as now, not as a move backwards', async () => {
    const clock = new VirtualClock(1000);

    await clock.advanceTo(999.6);

    expect(clock.now()).toBe(1000);
  });

  it('rounds fractional advances, timer delays, sleeps and ticker periods the way parseDuration does', async () => {
    const clock = new VirtualClock(0);
    const seen: string[] = [];
    clock.setTimer(1.5, () => seen.push(`timer ${clock.now()}`));
    void clock.sleep(2.4).then(() => seen.push(`sleep ${clock.now()}`));
    const ticker = clock.ticker(2.6);
    void (async () => {
      for await (const at of ticker) seen.push(`tick ${at}`);
    })();

    await clock.advance(0.5);
    await clock.advance(2.5);
    ticker.stop();

    expect({ seen, now: clock.now() }).toEqual({ seen: ['timer 2', 'sleep 2', 'tick 3'], now: 4 });
  });
});

describe('VirtualClock.advance', () => {
  it('fires timers at 5, 10 and 15 s as time passes 7, 12 and 17 s', async () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    clock.setTimer('5s', () => fired.push(1));
    clock.setTimer('10s', () => fired.push(2));
    clock.setTimer('15s', () => fired.push(3));

    await clock.advance('7s');
    const afterFirst = [...fired];
    await clock.advance('5s');
    const afterSecond = [...fired];
    await clock.advance('5s');

    expect([afterFirst, afterSecond, fired]).toEqual([[1], [1, 2], [1, 2, 3]]);
  });

  it('gives each callback its own due time as now', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimer('10s', () => seen.push(clock.now() - VIRTUAL_CLOCK_EPOCH));
    clock.setTimer('5s', () => seen.push(clock.now() - VIRTUAL_CLOCK_EPOCH));

    await clock.advance('20s');

    expect(seen).toEqual([5 * SECOND, 10 * SECOND]);
  });

  it('fires timers due at the same time in the order they were armed', async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    for (const name of ['a', 'b', 'c']) clock.setTimer('1s', () => fired.push(name));

    await clock.advance('1s');

    expect(fired).toEqual(['a', 'b', 'c']);
  });

  it('fires a timer that re-arms itself again within the same advance, at each due time', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const timer = clock.setTimer('2s', () => {
      seen.push(clock.now() - VIRTUAL_CLOCK_EPOCH);
      timer.reset('2s');
    });

    await clock.advance('7s');

    expect(seen).toEqual([2 * SECOND, 4 * SECOND, 6 * SECOND]);
  });

  it('fires in the same advance a timer a callback arms for a time inside the window', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.setTimer('1s', () => {
      clock.setTimer('2s', () => seen.push(`inside at ${clock.now() - VIRTUAL_CLOCK_EPOCH}`));
      clock.setTimer('10s', () => seen.push('outside'));
    });

    await clock.advance('5s');

    expect(seen).toEqual([`inside at ${3 * SECOND}`]);
  });

  it('does not fire a timer that an earlier callback cancelled', async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    const later = clock.setTimer('2s', () => fired.push('later'));
    clock.setTimer('1s', () => {
      fired.push('canceller');
      later.cancel();
    });

    await clock.advance('5s');

    expect(fired).toEqual(['canceller']);
  });

  it('fires a timer at its new time when an earlier callback reset it', async () => {
    const clock = new VirtualClock();
    const seen: Array<[string, number]> = [];
    const later = clock.setTimer('2s', () => seen.push(['later', clock.now() - VIRTUAL_CLOCK_EPOCH]));
    clock.setTimer('1s', () => later.reset('5s'));

    await clock.advance('10s');

    expect(seen).toEqual([['later', 6 * SECOND]]);
  });

  it('ignores cancel on a timer that already fired', async () => {
    const clock = new VirtualClock();
    let fired = 0;
    const timer = clock.setTimer('1s', () => fired++);
    await clock.advance('1s');

    timer.cancel();
    timer.cancel();
    await clock.advance('10s');

    expect({ fired, pending: clock.pendingTimers() }).toEqual({ fired: 1, pending: 0 });
  });

  it('fires a timer again when it is reset after firing', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const timer = clock.setTimer('1s', () => seen.push(clock.now() - VIRTUAL_CLOCK_EPOCH));
    await clock.advance('1s');

    timer.reset('3s');
    await clock.advance('5s');

    expect(seen).toEqual([1 * SECOND, 4 * SECOND]);
  });

  it('fires a cancelled timer when it is reset', async () => {
    const clock = new VirtualClock();
    let fired = 0;
    const timer = clock.setTimer('1s', () => fired++);
    timer.cancel();

    timer.reset('1s');
    await clock.advance('1s');

    expect(fired).toBe(1);
  });

  it('fires a zero-delay timer at the current time on advance(0)', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimer(0, () => seen.push(clock.now()));

    await clock.advance(0);

    expect(seen).toEqual([VIRTUAL_CLOCK_EPOCH]);
  });

  it('treats a negative delay as zero', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimer(-5_000, () => seen.push(clock.now()));

    await clock.advance(0);

    expect(seen).toEqual([VIRTUAL_CLOCK_EPOCH]);
  });

  it('rejects a negative duration string as a delay', () => {
    expect(() => new VirtualClock().setTimer('-5s', () => undefined)).toThrow(/"-5s".*negative/);
  });

  it('lets the work a callback starts arm its next timer before time moves on', async () => {
    const clock = new VirtualClock();
    const finishedAt: number[] = [];
    const job = async (): Promise<void> => {
      await Promise.resolve();
      await hop();
      await hop();
      await clock.sleep('1s');
      finishedAt.push(clock.now() - VIRTUAL_CLOCK_EPOCH);
    };
    clock.setTimer('1s', () => void job());
    clock.setTimer('1500ms', () => undefined);

    await clock.advance('2s');

    expect(finishedAt).toEqual([2 * SECOND]);
  });

  it('lets work started just before the call arm its timer before looking for due timers', async () => {
    const clock = new VirtualClock();
    let woke = false;
    void (async () => {
      await Promise.resolve();
      await clock.sleep('1s');
      woke = true;
    })();

    await clock.advance('1s');

    expect(woke).toBe(true);
  });

  it('runs concurrent advances one after the other, each from where the previous left time', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimer('8s', () => seen.push(clock.now() - VIRTUAL_CLOCK_EPOCH));

    await Promise.all([clock.advance('5s'), clock.advance('5s')]);

    expect({ seen, now: clock.now() - VIRTUAL_CLOCK_EPOCH }).toEqual({ seen: [8 * SECOND], now: 10 * SECOND });
  });

  it('fires the rest of the window when a callback throws, then rejects naming the due time with the error as cause', async () => {
    const clock = new VirtualClock();
    const boom = new Error('boom');
    let laterFired = false;
    clock.setTimer('1s', () => {
      throw boom;
    });
    clock.setTimer('2s', () => {
      laterFired = true;
    });

    const outcome = await clock.advance('3s').catch((error: unknown) => error);

    expect(outcome).toBeInstanceOf(OrdoError);
    expect(outcome).toMatchObject({ code: 'ORDO_VIRTUAL_TIMER_FAILED', cause: boom });
    expect((outcome as Error).message).toMatch(/2026-01-01T00:00:01\.000Z.*advance\("3s"\).*boom/);
    expect({ laterFired, now: clock.now() - VIRTUAL_CLOCK_EPOCH }).toEqual({ laterFired: true, now: 3 * SECOND });
  });
  it('reports an async callback whose promise rejects during the advance as a failed timer', async () => {
    const clock = new VirtualClock();
    const boom = new Error('async boom');
    clock.setTimer('1s', (async () => {
      await Promise.resolve();
      throw boom;
    }) as () => void);

    const outcome = await clock.advance('2s').catch((error: unknown) => error);

    expect(outcome).toMatchObject({ code: 'ORDO_VIRTUAL_TIMER_FAILED', cause: boom });
  });

  it('fires sleeps, tickers and timers in one time order, not grouped by kind', async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    const at = (what: string) => fired.push(`${what}@${(clock.now() - VIRTUAL_CLOCK_EPOCH) / MINUTE}m`);
    const ticker = clock.ticker('1h');
    void (async () => {
      for await (const _ of ticker) at('tick');
    })();
    void clock.sleep('30m').then(() => at('sleep'));
    clock.setTimer('90m', () => at('timer'));
    void clock.sleep('150m').then(() => at('sleep'));

    await clock.advance('3h');
    ticker.stop();

    expect(fired).toEqual(['sleep@30m', 'tick@60m', 'timer@90m', 'tick@120m', 'sleep@150m', 'tick@180m']);
  });
});

describe('VirtualClock.advanceTo', () => {
  it('fires timers up to the target and leaves later ones armed', async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimer('1h', () => fired.push('1h'));
    clock.setTimer('3h', () => fired.push('3h'));

    await clock.advanceTo(new Date('2026-01-01T02:00:00Z'));

    expect({ fired, pending: clock.pendingTimers(), now: clock.date().toISOString() }).toEqual({
      fired: ['1h'],
      pending: 1,
      now: '2026-01-01T02:00:00.000Z',
    });
  });

  it('rejects a target before now', async () => {
    const clock = new VirtualClock();
    await clock.advance('1h');

    await expect(clock.advanceTo(VIRTUAL_CLOCK_EPOCH)).rejects.toMatchObject({
      code: 'ORDO_VIRTUAL_CLOCK_BACKWARDS',
      message: expect.stringMatching(/advanceTo\(2026-01-01T00:00:00\.000Z\) is before now/),
    });
  });
});

describe('VirtualClock.runNext', () => {
  it('fires the next timer however far away and moves now to its due time', async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimer('30d', () => fired.push('far'));
    clock.setTimer('40d', () => fired.push('farther'));

    const ran = await clock.runNext();

    expect({ ran, fired, now: clock.now() - VIRTUAL_CLOCK_EPOCH }).toEqual({
      ran: true,
      fired: ['far'],
      now: 30 * 86_400_000,
    });
  });

  it('resolves false when no timer is armed', async () => {
    await expect(new VirtualClock().runNext()).resolves.toBe(false);
  });
});

describe('VirtualClock.runAll', () => {
  it('fires every timer, including those armed by callbacks, until none is left', async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimer('1h', () => {
      fired.push('first');
      clock.setTimer('1d', () => fired.push('follow-up'));
    });

    await clock.runAll();

    expect({ fired, pending: clock.pendingTimers(), now: clock.now() - VIRTUAL_CLOCK_EPOCH }).toEqual({
      fired: ['first', 'follow-up'],
      pending: 0,
      now: 25 * 3_600_000,
    });
  });

  it('rejects with a loop error past its limit when a timer keeps re-arming itself', async () => {
    const clock = new VirtualClock();
    let fired = 0;
    const timer = clock.setTimer('1s', () => {
      fired++;
      timer.reset('1s');
    });

    const outcome = clock.runAll({ limit: 50 });

    await expect(outcome).rejects.toMatchObject({
      code: 'ORDO_VIRTUAL_CLOCK_LOOP',
      message: expect.stringMatching(/runAll\(\) fired 50 timers armed while it ran, and 1 is still armed/),
    });
    expect(fired).toBe(1 + 50);
  });

  it('fires 20,000 one-shot timers armed before it, however many that is beyond its limit', async () => {
    const clock = new VirtualClock();
    let fired = 0;
    for (let i = 0; i < 20_000; i++) clock.setTimer(i % 100, () => fired++);

    await clock.runAll();

    expect({ fired, pending: clock.pendingTimers() }).toEqual({ fired: 20_000, pending: 0 });
  });
});

describe('VirtualClock.waitForTimers', () => {
  it('resolves once code under test arms its timers after a few turns of the event loop', async () => {
    const clock = new VirtualClock();
    const work = (async () => {
      await Promise.resolve();
      await hop();
      await clock.sleep('1m');
      return clock.now() - VIRTUAL_CLOCK_EPOCH;
    })();

    await clock.waitForTimers(1);
    await clock.advance('1m');

    await expect(work).resolves.toBe(60 * SECOND);
  });

  it('resolves at once when enough timers are already armed', async () => {
    const clock = new VirtualClock();
    clock.setTimer('1s', () => undefined);
    clock.setTimer('2s', () => undefined);

    await expect(clock.waitForTimers(2, { timeout: 0 })).resolves.toBeUndefined();
  });

  it('rejects after its real-time timeout with a message naming the count wanted and the count seen', async () => {
    const clock = new VirtualClock();
    clock.setTimer('1s', () => undefined);

    await expect(clock.waitForTimers(2, { timeout: '20ms' })).rejects.toMatchObject({
      code: 'ORDO_WAIT_FOR_TIMERS_TIMEOUT',
      message: expect.stringMatching(/waitForTimers\(2\) gave up after 20ms of real time with 1 timer armed, not 2/),
    });
  });
});

describe('VirtualClock loop guard', () => {
  it('fires 150,000 timers armed before an advance and due at one instant, all in that advance', async () => {
    const clock = new VirtualClock();
    let fired = 0;
    for (let i = 0; i < 150_000; i++) clock.setTimer('1s', () => fired++);

    await clock.advance('1s');

    expect({ fired, pending: clock.pendingTimers() }).toEqual({ fired: 150_000, pending: 0 });
  });

  it('rejects an advance in which a zero-delay timer keeps re-arming itself at one instant', async () => {
    const clock = new VirtualClock();
    const timer = clock.setTimer(0, () => timer.reset(0));

    await expect(clock.advance(0)).rejects.toMatchObject({
      code: 'ORDO_VIRTUAL_CLOCK_LOOP',
      message: expect.stringMatching(
        /advance\(0\) fired 100000 timers at 2026-01-01T00:00:00\.000Z without time moving/,
      ),
    });
  });
});

describe('VirtualClock invalid times', () => {
  it('refuses to start at an invalid Date, naming it', () => {
    expect(() => new VirtualClock(new Date('not a date'))).toThrow(
      expect.objectContaining({
        code: 'ORDO_INVALID_TIME',
        message: expect.stringContaining('VirtualClock start Invalid Date is not a valid time'),
      }),
    );
  });

  it('rejects advanceTo a time that is not a number, leaving the clock where it was', async () => {
    const clock = new VirtualClock();

    await expect(clock.advanceTo(Number.NaN)).rejects.toMatchObject({
      code: 'ORDO_INVALID_TIME',
      message: expect.stringContaining('advanceTo target NaN is not a valid time'),
    });
    expect(clock.now()).toBe(VIRTUAL_CLOCK_EPOCH);
  });
});
