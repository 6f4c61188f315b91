/**
 * The public face of the schedule capability: the `@Every` and `@Cron` decorators, the run context, the registry
 * behind `app.schedules`, and its errors. The scheduler runtime the composition root joins is in internal.ts.
 */
export { Every, Cron, type ScheduleDecorator } from './schedule-decorators.js';
export type {
  CronOptions,
  CronSpec,
  EveryOptions,
  EverySpec,
  OverlapPolicy,
  ScheduledFn,
  ScheduleOptions,
  ScheduleRunContext,
  ScheduleSpec,
} from './schedule-options.js';
export { Schedules, type ScheduleInfo, type ScheduleRunOutcome } from './schedules.js';
export { ScheduleError, type ScheduleErrorCode } from './schedule-errors.js';
