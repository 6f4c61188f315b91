import { OrdoError, type OrdoErrorCode } from '../errors/index.js';

/** The codes a {@link BackgroundError} carries. */
export type BackgroundErrorCode = Extract<
  OrdoErrorCode,
  'ORDO_BACKGROUND_TIMEOUT' | 'ORDO_BACKGROUND_REFUSED' | 'ORDO_BACKGROUND_STOPPED' | 'ORDO_BACKGROUND_ABANDONED'
>;

/**
 * An error about one piece of `Background` work, naming it: the reason its signal aborted (its `timeout`, or the
 * app's stop), new work refused once the app stops, or work that ignored its abort (a problem of the stop report).
 * Invalid arguments to `run()`/`after()` are `ConfigurationError`s (`ORDO_INVALID_OPTION`).
 */
export class BackgroundError extends OrdoError {
  declare readonly code: BackgroundErrorCode;

  /** The name the work was given. */
  readonly work: string;

  constructor(code: BackgroundErrorCode, work: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.work = work;
  }
}
