import { Cron } from 'croner';
import type { RepeatOptions, RepeatStrategy } from 'bullmq';

/**
 * BullMQ's `settings.repeatStrategy` computed by croner, the parser of Ordo's in-process scheduler, so a job
 * scheduler fires at the same instants as `@Cron` on daylight-saving days (BullMQ's own parser puts a 02:30 New York
 * job at 03:30 on the spring-forward day, croner at 03:00). Set on both Queue and Worker, as BullMQ asks. `every`
 * keeps BullMQ's meaning: the next multiple of the period.
 */
export const cronerRepeatStrategy: RepeatStrategy = (millis: number, opts: RepeatOptions): number | undefined => {
  if (opts.every !== undefined)
    return Math.floor(millis / opts.every) * opts.every + (opts.immediately ? 0 : opts.every);
  if (opts.pattern === undefined) return undefined;
  if (opts.immediately) return millis;
  const start = opts.startDate === undefined ? millis : Math.max(millis, new Date(opts.startDate).getTime());
  const cron = new Cron(opts.pattern, opts.tz === undefined ? {} : { timezone: opts.tz });
  // Strictly after `start`, as BullMQ's parser answers: it asks from the instant of the slot it just produced.
  return cron.nextRun(new Date(start))?.getTime();
};
