import { jest } from '@jest/globals';
import { Clock, SystemClock, type TimerHandle, VirtualClock } from '../../src/time/index.js';
import { FakeHost } from '../support/fake-host.js';

describe('Clock.coarseNow', () => {
  it('is now() itself on a clock that does not override it', () => {
    class FixedClock extends Clock {
      now(): number {
        return 42;
      }
      setTimer(): TimerHandle {
        throw new Error('not used');
      }
    }

    expect(new FixedClock().coarseNow()).toBe(42);
  });

  it("is a VirtualClock's exact time by default, arming no timer", async () => {
    const clock = new VirtualClock(0);

    const before = clock.coarseNow();
    await clock.advance(5);
    const after = clock.coarseNow();

    expect({ before, after, timers: clock.pendingTimers() }).toEqual({ before: 0, after: 5, timers: 0 });
  });

  it('reads a VirtualClock made with coarseNowPerTurn once, until its next advance fires timers', async () => {
    const clock = new VirtualClock(0, { coarseNowPerTurn: true });
    const now = jest.spyOn(clock, 'now');

    const turn = [clock.coarseNow(), clock.coarseNow(), clock.coarseNow()];
    const armed = clock.pendingTimers();
    await clock.advance(5);
    const next = clock.coarseNow();

    expect({ turn, armed, next, reads: now.mock.calls.length }).toEqual({
      turn: [0, 0, 0],
      armed: 1,
      next: 5,
      reads: 2,
    });
  });

  it("never gives a timer of a per-turn VirtualClock an earlier turn's reading", async () => {
    const clock = new VirtualClock(0, { coarseNowPerTurn: true });
    const seen: number[] = [];
    clock.coarseNow();
    clock.setTimer(3, () => seen.push(clock.coarseNow()));
    clock.setTimer(7, () => seen.push(clock.coarseNow()));

    await clock.advance(10);

    expect(seen).toEqual([3, 7]);
  });

  it('reads the host of a SystemClock once per turn, and again once the host has run timers', () => {
    const host = new FakeHost();
    const clock = new SystemClock({ host });

    const first = clock.coarseNow();
    host.time = 10; // time passes within the turn: its reading is kept
    const sameTurn = clock.coarseNow();
    host.runUntil(10);
    const nextTurn = clock.coarseNow();

    expect([first, sameTurn, nextTurn]).toEqual([0, 0, 10]);
  });
});
