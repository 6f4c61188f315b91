import type { Clock } from '../../../time/index.js';

/**
 * Waits for `work` to settle, but no later than `until` (a time on `clock`). True when it settled in time. The
 * timer goes through the Clock, so every wait of a shutdown stays bounded whatever BullMQ does.
 */
export async function settlesBy(clock: Clock, until: number, work: Promise<unknown>): Promise<boolean> {
  let timer: { cancel(): void } | undefined;
  const late = new Promise<false>((resolve) => {
    timer = clock.setTimer(Math.max(0, until - clock.now()), () => resolve(false));
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    timer?.cancel();
  }
}
