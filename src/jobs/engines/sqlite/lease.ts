import type { Logger } from '../../../core/index.js';
import type { Clock, TimerHandle } from '../../../time/index.js';

/** A lease being kept; `stop()` when the run ends. */
export interface KeptLease {
  stop(): void;
}

/**
 * Renews a claim's lease at a third of its length, through the Clock, until stopped. A renewal that finds the
 * claim gone (another worker took the job over after this one stalled) calls `onLost` and stops; one that throws
 * (the file busy past `busy_timeout`) is logged and tried again at the next third.
 */
export function keepLease(
  clock: Clock,
  lease: number,
  renew: (leaseUntil: number) => boolean,
  onLost: () => void,
  logger: Logger,
  job: { id: string; name: string },
): KeptLease {
  const every = Math.max(1, Math.floor(lease / 3));
  let timer: TimerHandle | undefined;
  const tick = (): void => {
    let kept: boolean;
    try {
      kept = renew(clock.now() + lease);
    } catch (err) {
      logger.error({ err, job: job.id, name: job.name }, `job ${job.id} (${job.name}): its lease could not be renewed`);
      kept = true;
    }
    if (kept) timer = clock.setTimer(every, tick);
    else {
      timer = undefined;
      onLost();
    }
  };
  timer = clock.setTimer(every, tick);
  return {
    stop() {
      timer?.cancel();
      timer = undefined;
    },
  };
}
