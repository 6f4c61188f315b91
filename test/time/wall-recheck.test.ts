import { ConfigurationError, SystemClock, VirtualClock } from '../../src/index.js';
import { FakeHost } from '../support/fake-host.js';

describe('a clock’s wall re-check interval', () => {
  it('is 60 s on the system clock, because its host timers do not count a machine’s sleep', () => {
    expect(new SystemClock({ host: new FakeHost() }).wallRecheckInterval).toBe(60_000);
  });

  it('is what the system clock was made with', () => {
    expect(new SystemClock({ host: new FakeHost(), wallRecheckInterval: '15s' }).wallRecheckInterval).toBe(15_000);
  });

  it('is none on a virtual clock, whose timers keep pace with its time', () => {
    expect(new VirtualClock().wallRecheckInterval).toBeUndefined();
  });

  it('is what a virtual clock was made with, so a test can take the re-arming path', () => {
    expect(new VirtualClock(0, { wallRecheckInterval: '1m' }).wallRecheckInterval).toBe(60_000);
  });

  it.each([0, '0s', -5, 'soon'])('refuses %p, naming the clock and the option', (interval) => {
    const make = (): SystemClock => new SystemClock({ host: new FakeHost(), wallRecheckInterval: interval });

    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(/^SystemClock\(\{ wallRecheckInterval \}\)/);
  });
});
