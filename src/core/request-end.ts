/**
 * The seam between request scopes and work deferred to a request's end: the tasks capability, which owns request
 * scopes, implements it; the schedule capability's `Background.after()` uses it; the composition root hands the
 * one to the other, so neither imports the other.
 */
export interface RequestEnd {
  /**
   * Calls `fn` once, when the request scope the caller runs in ends (the function given to its `run` returned, and
   * the promise it returned settled). Returns false, and never calls `fn`, when the caller runs outside any
   * request scope.
   */
  defer(fn: () => void): boolean;
}

/** A {@link RequestEnd} for an app without request scopes: every caller is outside one. */
export const NO_REQUEST_END: RequestEnd = { defer: () => false };
