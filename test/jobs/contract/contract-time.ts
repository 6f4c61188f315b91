import { Clock, SystemClock, VirtualClock, type Duration, type TimerHandle } from '../../../src/index.js';

/**
 * How time passes in a run of the contract suite: on a VirtualClock the suite advances (`virtual`), or in short real
 * waits for an engine that reads the system clock (`real`, BullMQ).
 */
export interface ContractTime {
  readonly mode: 'virtual' | 'real';
  /** The clock backends are opened with. */
  readonly clock: Clock;
  /** Lets `ms` pass: advances the VirtualClock, or waits that long in real time. */
  pass(ms: number): Promise<void>;
  /**
   * Waits until `check` holds, letting time pass up to `within` ms (and, in real mode, a slack for the engine's own
   * round trips); fails naming `what` otherwise.
   */
  until(what: string, check: () => boolean | Promise<boolean>, within?: number): Promise<void>;
  /** How far a time the engine reports may be off from the suite's own reading (0 on a VirtualClock). */
  readonly tolerance: number;
}

/** The real time a real-mode wait may take beyond its `within`: an engine's round trips to its server. */
const REAL_SLACK = 3_000;

/** Makes the time model of a run. */
export function contractTime(mode: 'virtual' | 'real'): ContractTime {
  return mode === 'virtual' ? virtualTime() : realTime();
}

function virtualTime(): ContractTime {
  const clock = new VirtualClock();
  return {
    mode: 'virtual',
    clock,
    tolerance: 0,
    pass: (ms) => clock.advance(ms),
    async until(what, check, within = 0) {
      // Work that needs no time settles over a few advances of nothing.
      for (let i = 0; i < 5; i++) {
        await clock.advance(0);
        if (await check()) return;
      }
      const step = Math.max(1, Math.ceil(within / 200));
      for (let passed = 0; passed < within; passed += step) {
        await clock.advance(step);
        if (await check()) return;
      }
      throw new Error(`timed out waiting for ${what} (${within} ms of virtual time)`);
    },
  };
}

function realTime(): ContractTime {
  const clock = new SystemClock({ keepAlive: true });
  return {
    mode: 'real',
    clock,
    tolerance: 250,
    pass: (ms) => clock.sleep(ms),
    async until(what, check, within = 0) {
      const giveUpAt = clock.now() + within + REAL_SLACK;
      for (;;) {
        if (await check()) return;
        if (clock.now() > giveUpAt) throw new Error(`timed out waiting for ${what} (${within + REAL_SLACK} ms)`);
        await clock.sleep(10);
      }
    },
  };
}

/**
 * A clock that forwards to another until it is frozen, then arms nothing and fires nothing it had armed: what a
 * backend on it sees when its process dies (no lease renewed, no poll), while the store goes on.
 */
export class FreezableClock extends Clock {
  readonly #inner: Clock;
  #frozen = false;

  constructor(inner: Clock) {
    super();
    this.#inner = inner;
  }

  /** Stops every timer of this clock, armed or to come. */
  freeze(): void {
    this.#frozen = true;
  }

  override now(): number {
    return this.#inner.now();
  }

  override setTimer(d: Duration, fn: () => void): TimerHandle {
    if (this.#frozen) return { cancel() {}, reset() {} };
    return this.#inner.setTimer(d, () => {
      if (!this.#frozen) fn();
    });
  }
}
