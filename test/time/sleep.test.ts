import { getEventListeners } from 'node:events';
import { InvalidDurationError, SystemClock, VIRTUAL_CLOCK_EPOCH, VirtualClock } from '../../src/index.js';
import { FakeHost } from '../support/fake-host.js';

describe('Clock.sleep', () => {
  it('resolves when virtual time reaches its end', async () => {
    const clock = new VirtualClock();
    const sleeping = clock.sleep('10m').then(() => clock.now() - VIRTUAL_CLOCK_EPOCH);

    await clock.advance('1h');

    await expect(sleeping).resolves.toBe(600_000);
  });

  it('rejects with the abort reason and leaves no timer armed', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const sleeping = clock.sleep('1h', controller.signal);

    controller.abort(reason);

    await expect(sleeping).rejects.toBe(reason);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects at once, arming nothing, when the signal has already aborted', async () => {
    const clock = new VirtualClock();
    const reason = new Error('too late');

    const sleeping = clock.sleep('1h', AbortSignal.abort(reason));

    await expect(sleeping).rejects.toBe(reason);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('takes its abort listener off the signal once it has resolved', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep('1s', controller.signal);
    await clock.advance('1s');

    await sleeping;

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects an invalid duration', async () => {
    await expect(new VirtualClock().sleep('soon')).rejects.toBeInstanceOf(InvalidDurationError);
  });

  it('on the system clock rejects with the abort reason and clears its host timer', async () => {
    const host = new FakeHost();
    const clock = new SystemClock({ host });
    const controller = new AbortController();
    const sleeping = clock.sleep('1h', controller.signal);

    controller.abort('stop');

    await expect(sleeping).rejects.toBe('stop');
    expect(host.pending).toBe(0);
  });

  it('on the real system clock rejects with the abort reason and takes its listener off', async () => {
    const controller = new AbortController();
    const sleeping = new SystemClock().sleep('1h', controller.signal);

    controller.abort('stop');

    await expect(sleeping).rejects.toBe('stop');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
