import { OrdoError, type OrdoErrorCode } from '../errors/index.js';
import type { StopReport } from './stop-report.js';

/**
 * `start()` failed: a component's `@OnStart` threw or timed out (`ORDO_START_FAILED`), a component could not be
 * resolved (`ORDO_RESOLVE_FAILED`), or `stop()` aborted the start (`ORDO_START_ABORTED`). The components whose
 * start had completed were stopped again; `rollback` says how that went.
 */
export class StartupError extends OrdoError {
  /** @param code `ORDO_START_FAILED`, `ORDO_RESOLVE_FAILED` or `ORDO_START_ABORTED`. */
  constructor(
    code: OrdoErrorCode,
    message: string,
    /** The component at fault, if one is. */
    readonly component: string | undefined,
    /** How stopping the already-started components went. */
    readonly rollback: StopReport,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** A hook did not finish within its deadline; it is the `cause` of the failure it led to. */
export class HookTimeoutError extends OrdoError {
  declare readonly code: 'ORDO_HOOK_TIMEOUT';

  constructor(
    /** The component whose hook timed out. */
    readonly component: string,
    /** Which hook: `@OnStart` or `@OnStop`. */
    readonly hook: string,
    /** The deadline it was given, in milliseconds. */
    readonly timeoutMs: number,
    /** The method, as `Class.method()`. */
    readonly method?: string,
  ) {
    super(
      'ORDO_HOOK_TIMEOUT',
      `${hook}${method ? ` ${method}` : ''} of component "${component}" did not finish within ${timeoutMs} ms`,
    );
  }
}

/** The app was used in a way its state does not allow, such as starting twice (`ORDO_INVALID_STATE`). */
export class AppStateError extends OrdoError {}
