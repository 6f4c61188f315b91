import { MAX_HOST_TIMER_DELAY, SystemClock } from '../../src/index.js';
import { nodeHostTimers } from '../../src/time/system-clock.js';
import { FakeHost } from '../support/fake-host.js';

const DAY = 86_400_000;

describe('SystemClock', () => {
  it('reads the time from its host', () => {
    const host = new FakeHost();
    host.time = 1_234;

    expect(new SystemClock({ host }).now()).toBe(1_234);
  });

  it('hands the host a delay of at most 2^31-1 ms and re-arms until the real due time', () => {
    const host = new FakeHost();
    let firedAt: number | undefined;
    new SystemClock({ host }).setTimer('60d', () => (firedAt = host.time));

    host.runUntil(60 * DAY - 1);
    const beforeDue = firedAt;
    host.runUntil(60 * DAY);

    expect({ beforeDue, firedAt, delays: host.delays }).toEqual({
      beforeDue: undefined,
      firedAt: 60 * DAY,
      delays: [MAX_HOST_TIMER_DELAY, MAX_HOST_TIMER_DELAY, 60 * DAY - 2 * MAX_HOST_TIMER_DELAY],
    });
  });

  it('splits long delays by its configured maximum', () => {
    const host = new FakeHost();
    let fired = 0;
    new SystemClock({ host, maxTimerDelay: 1_000 }).setTimer(2_500, () => fired++);

    host.runUntil(2_500);

    expect({ fired, delays: host.delays }).toEqual({ fired: 1, delays: [1_000, 1_000, 500] });
  });

  it('measures the rest of a long delay from when a late chunk actually fired', () => {
    const host = new FakeHost();
    new SystemClock({ host, maxTimerDelay: 1_000 }).setTimer(2_500, () => undefined);

    host.fireNextLate(300);

    expect(host.delays).toEqual([1_000, 1_000]);
    host.fireNextLate(0);
    expect(host.delays).toEqual([1_000, 1_000, 200]);
  });

  it('disarms the pending chunk of a long delay on cancel', () => {
    const host = new FakeHost();
    let fired = false;
    const timer = new SystemClock({ host, maxTimerDelay: 1_000 }).setTimer(2_500, () => (fired = true));
    host.runUntil(1_500);

    timer.cancel();
    host.runUntil(10_000);

    expect({ fired, pending: host.pending }).toEqual({ fired: false, pending: 0 });
  });

  it('re-arms a timer from now on reset', () => {
    const host = new FakeHost();
    let firedAt: number | undefined;
    const timer = new SystemClock({ host }).setTimer(1_000, () => (firedAt = host.time));
    host.runUntil(600);

    timer.reset(1_000);
    host.runUntil(5_000);

    expect({ firedAt, pending: host.pending }).toEqual({ firedAt: 1_600, pending: 0 });
  });

  it('fires again when reset from inside its own callback', () => {
    const host = new FakeHost();
    const seen: number[] = [];
    const timer = new SystemClock({ host }).setTimer(1_000, () => {
      seen.push(host.time);
      if (seen.length < 3) timer.reset(1_000);
    });

    host.runUntil(10_000);

    expect(seen).toEqual([1_000, 2_000, 3_000]);
  });

  it('hands the host a zero delay for a negative one', () => {
    const host = new FakeHost();

    new SystemClock({ host }).setTimer(-50, () => undefined);

    expect(host.delays).toEqual([0]);
  });

  it("unrefs Node's timers when asked not to keep the process alive", () => {
    const host = nodeHostTimers(false);
    const handle = host.setTimeout(() => undefined, DAY) as NodeJS.Timeout;

    const refed = handle.hasRef();
    host.clearTimeout(handle);

    expect(refed).toBe(false);
  });

  it("keeps Node's timers refed by default, as pending work", () => {
    const host = nodeHostTimers();
    const handle = host.setTimeout(() => undefined, DAY) as NodeJS.Timeout;

    const refed = handle.hasRef();
    host.clearTimeout(handle);

    expect(refed).toBe(true);
  });

  it('fires a real timer', async () => {
    const clock = new SystemClock();

    const fired = await new Promise<boolean>((resolve) => clock.setTimer(1, () => resolve(true)));

    expect(fired).toBe(true);
  });
});
