import type { Logger } from '../../../core/index.js';
import type { Clock, TimerHandle } from '../../../time/index.js';

/** The shortest and longest wait between two sweeps of completed jobs. */
const SWEEP_BOUNDS = { min: 100, max: 60_000 } as const;

/** A sweeper running; `stop()` disarms it. */
export interface Sweeper {
  stop(): void;
}

/**
 * Removes completed jobs older than `keepCompleted`, at once and then every half of it (between 100 ms and a
 * minute), through the Clock: so a removed job is never kept more than about half of `keepCompleted` too long.
 */
export function startSweeper(
  clock: Clock,
  keepCompleted: number,
  sweep: (before: number) => number,
  logger: Logger,
): Sweeper {
  const every = Math.min(SWEEP_BOUNDS.max, Math.max(SWEEP_BOUNDS.min, Math.floor(keepCompleted / 2)));
  let timer: TimerHandle | undefined;
  const run = (): void => {
    try {
      sweep(clock.now() - keepCompleted);
    } catch (err) {
      logger.error({ err }, 'sqlite jobs: the sweep of completed jobs failed; it is tried again');
    }
    timer = clock.setTimer(every, run);
  };
  run();
  return {
    stop() {
      timer?.cancel();
      timer = undefined;
    },
  };
}
