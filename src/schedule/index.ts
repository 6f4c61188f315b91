/**
 * The public face of the schedule capability: the `@Every` and `@Cron` decorators, the run context, the registry
 * behind `app.schedules`, `Background` for work after a response, and their errors. The runtimes the composition
 * root joins are in internal.ts.
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
// Background work after a response.
export { Background, type BackgroundFn, type BackgroundOptions } from './background.js';
export { BackgroundError, type BackgroundErrorCode } from './background-errors.js';
