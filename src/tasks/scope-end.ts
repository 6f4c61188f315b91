import { isThenable } from '../time/internal.js';
import type { ScopeContext } from './request-scope.js';

/** What a request's context holds as `returned` while a `run` of it has not returned yet. */
export const RUNNING: unique symbol = Symbol('running');

/**
 * Records that a `run` of the request whose context is `context` returned `result` (or threw): work deferred
 * while it ran waits for `result` to settle from now on.
 */
export function runReturned(context: ScopeContext, result: unknown): void {
  context.returned = result;
  const deferred = context.deferred;
  if (deferred === undefined) return;
  context.deferred = undefined;
  for (const fn of deferred) whenSettled(result, fn);
}

/**
 * Calls `fn` once the request whose context is `context` ended: once its latest `run` returned and the promise it
 * returned settled, either way.
 */
export function deferToEnd(context: ScopeContext, fn: () => void): void {
  if (context.returned === RUNNING) (context.deferred ??= []).push(fn);
  else whenSettled(context.returned, fn);
}

function whenSettled(result: unknown, fn: () => void): void {
  if (isThenable(result)) Promise.resolve(result).then(fn, fn);
  else fn();
}
