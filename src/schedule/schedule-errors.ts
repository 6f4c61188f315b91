import { OrdoError, type OrdoErrorCode } from '../errors/index.js';

/** The codes a {@link ScheduleError} carries: what went wrong with a schedule once the app runs. */
export type ScheduleErrorCode = Extract<
  OrdoErrorCode,
  'ORDO_UNKNOWN_SCHEDULE' | 'ORDO_SCHEDULE_TIMEOUT' | 'ORDO_SCHEDULE_STOPPED' | 'ORDO_SCHEDULE_ABANDONED'
>;

/**
 * An error about a schedule at run time: an unknown name given to `app.schedules`, the reason a run's signal
 * aborts (its `timeout`, or the stop's drain deadline), a registry call once schedules stopped, or a run that
 * ignored its abort. Mistakes in how a schedule is declared are `ConfigurationError`s, found at `Ordo.create()`.
 */
export class ScheduleError extends OrdoError {
  declare readonly code: ScheduleErrorCode;

  /** The schedule concerned. */
  readonly schedule: string;

  constructor(code: ScheduleErrorCode, schedule: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.schedule = schedule;
  }
}
