import { VIRTUAL_CLOCK_EPOCH, VirtualClock } from '../../src/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('VirtualClock.jump', () => {
  it('moves now forward by the whole duration at once', async () => {
    const clock = new VirtualClock();

    await clock.jump('2h');

    expect(clock.now()).toBe(VIRTUAL_CLOCK_EPOCH + 2 * HOUR);
  });

  it('fires a timer that fell due late, with now at the new time', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimer('10m', () => seen.push(clock.now()));

    await clock.jump('1h');

    expect(seen).toEqual([VIRTUAL_CLOCK_EPOCH + HOUR]);
  });

  it('fires the timers that fell due in due order, each once', async () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    clock.setTimer('30m', () => order.push('second'));
    clock.setTimer('10m', () => order.push('first'));
    clock.setTimer('50m', () => order.push('third'));

    await clock.jump('1h');

    expect(order).toEqual(['first', 'second', 'third']);
  });

  it('leaves a timer due after the new time armed for its own time', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimer('90m', () => seen.push(clock.now()));

    await clock.jump('1h');
    await clock.advance('30m');

    expect(seen).toEqual([VIRTUAL_CLOCK_EPOCH + 90 * MINUTE]);
  });

  it('gives an hourly ticker one late tick, where advance gives one per hour', async () => {
    const clock = new VirtualClock();
    const ticker = clock.ticker('1h');
    const ticks = ticker[Symbol.asyncIterator]();

    await clock.jump('3h');
    const first = await ticks.next();
    ticker.stop();

    expect(first.value).toBe(VIRTUAL_CLOCK_EPOCH + 3 * HOUR);
    expect((await ticks.next()).done).toBe(true);
  });

  it('lets the work a fired timer starts run, and fires what it arms for the new time', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.setTimer('10m', () => {
      void Promise.resolve().then(() => {
        seen.push('work ran');
        clock.setTimer(0, () => seen.push(`follow-up at ${clock.now() - VIRTUAL_CLOCK_EPOCH}`));
      });
    });

    await clock.jump('1h');

    expect(seen).toEqual(['work ran', `follow-up at ${HOUR}`]);
  });

  it('dates a timer armed just before the call from the old time', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    void Promise.resolve().then(() => clock.setTimer('10m', () => seen.push(clock.now())));

    await clock.jump('1h');

    expect(seen).toEqual([VIRTUAL_CLOCK_EPOCH + HOUR]);
  });

  it('runs after a pending advance, starting from where it left time', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimer('90m', () => seen.push(clock.now()));

    await Promise.all([clock.advance('1h'), clock.jump('1h')]);

    expect(seen).toEqual([VIRTUAL_CLOCK_EPOCH + 2 * HOUR]);
    expect(clock.now()).toBe(VIRTUAL_CLOCK_EPOCH + 2 * HOUR);
  });

  it('rejects an invalid duration', async () => {
    await expect(new VirtualClock().jump('soon')).rejects.toMatchObject({ code: 'ORDO_INVALID_DURATION' });
  });

  it('rejects with ORDO_VIRTUAL_TIMER_FAILED after the rest fired when a callback throws', async () => {
    const clock = new VirtualClock();
    let laterFired = false;
    clock.setTimer('1m', () => {
      throw new Error('boom');
    });
    clock.setTimer('2m', () => (laterFired = true));

    await expect(clock.jump('5m')).rejects.toMatchObject({ code: 'ORDO_VIRTUAL_TIMER_FAILED' });
    expect(laterFired).toBe(true);
  });
});
