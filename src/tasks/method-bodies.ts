import { isThenable } from '../time/internal.js';
import { currentScopeContext, runWithScopeContext, ScopeContext } from './request-scope.js';
import { refusesOutsideScope } from './method-app-ties.js';
import { notAsyncError, outsideScopeError } from './task-errors.js';
import type { TaskScope } from './task-scope.js';

/** The ways one `@Task` method's own body is run: as a task's body for one argument or several, or unmemoized. */
export interface MethodBodies {
  /** The task body of one-argument calls: the argument is the input. */
  runOne(this: unknown, view: TaskScope, input: unknown): Promise<unknown>;
  /** The task body of other calls: the input is the argument list. */
  runMany(this: unknown, view: TaskScope, args: unknown[]): Promise<unknown>;
  /** A call outside any scope: the method as written, unless its app refuses such calls. */
  runOutsideScope(receiver: unknown, args: unknown[]): Promise<unknown>;
}

/**
 * The bodies of the method `name`, whose undecorated function is `call`.
 *
 * @param appWide whether the method memoizes app-wide: its body then runs outside any request scope.
 */
export function methodBodies(call: (...args: unknown[]) => unknown, name: string, appWide: boolean): MethodBodies {
  // An app-wide result must not depend on one request, so an app-scoped body runs outside any request scope.
  // A class, not a literal: a body's context lives as long as its run (docs/internals/performance.md#request-contexts).
  const contextOf = (view: TaskScope): ScopeContext => {
    if (appWide) return new ScopeContext(undefined, view);
    const caller = currentScopeContext();
    return new ScopeContext(view, caller?.app, null, caller?.root);
  };
  // A result that is not a promise fails the run (the memo's launch turns the throw into the run's failure), so
  // every caller gets the same TaskMethodError instead of a value it would otherwise get only outside a scope.
  function runOne(this: unknown, view: TaskScope, input: unknown): Promise<unknown> {
    const result = runWithScopeContext(contextOf(view), () => call.call(this, input));
    if (!isThenable(result)) throw notAsyncError(name, result);
    return result as Promise<unknown>;
  }
  function runMany(this: unknown, view: TaskScope, args: unknown[]): Promise<unknown> {
    const result = runWithScopeContext(contextOf(view), () => call.apply(this, args));
    if (!isThenable(result)) throw notAsyncError(name, result);
    return result as Promise<unknown>;
  }
  // Outside any scope the method runs as written, unmemoized, unless its app refuses that; either way a call
  // returns a promise, as inside a scope: a synchronous throw rejects, and a result that is not a promise
  // rejects with the TaskMethodError a run would fail with.
  function runOutsideScope(receiver: unknown, args: unknown[]): Promise<unknown> {
    if (refusesOutsideScope(receiver)) return Promise.reject(outsideScopeError(name));
    let result: unknown;
    try {
      result = call.apply(receiver, args);
    } catch (error) {
      return Promise.reject(error);
    }
    return isThenable(result) ? Promise.resolve(result) : Promise.reject(notAsyncError(name, result));
  }
  return { runOne, runMany, runOutsideScope };
}
