import { watchAbort } from './abort-watch.js';
import type { ScopeStore } from './memo-store.js';
import { ABORTED, RUNNING, type Run, RunEntry } from './run-entry.js';
import { type WaitGroup, Waiter } from './run-waiter.js';
import { structuralKey, UnkeyableInput } from './input-key.js';
import { callerOf, storeOf } from './scope-internals.js';
import { TaskCycleError, TaskKeyError, TaskOptionError } from './task-errors.js';
import { scopeViewFor, type TaskScope } from './task-scope.js';
import type { TaskFn, TaskSpec } from './task-spec.js';

/**
 * Runs `fn` for `input` at most once per scope and task identity, sharing the run with every other caller: the
 * single entry point of `Task.run`, bound tasks and `@Task` methods.
 *
 * A cached hit without a signal is a key, two map lookups and the stored promise — no allocation.
 *
 * @param signal this caller's signal: aborting it rejects this call only; the run is aborted when no one waits.
 * @param group the `all()` call this wait belongs to, left as a whole when the group fails fast.
 * @param receiver `this` for `fn` on a miss, so a method decorator can pass one function made at decoration
 *   time instead of a closure per call.
 */
export function runMemoized<I, O>(
  scope: TaskScope,
  spec: TaskSpec<I>,
  input: I,
  fn: TaskFn<I, O>,
  signal?: AbortSignal,
  group?: WaitGroup,
  receiver?: unknown,
): Promise<O> {
  if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
  let key: unknown = input;
  let shaped = false;
  if (spec.key !== undefined) {
    try {
      key = spec.key(input);
    } catch (error) {
      const method = spec.naming !== undefined && spec.naming !== 'input';
      return Promise.reject(new TaskKeyError(spec.name, 'its key function threw', { cause: error, method }));
    }
  } else if (typeof input === 'object' ? input !== null : typeof input === 'function' || typeof input === 'symbol') {
    try {
      key = structuralKey(input);
    } catch (error) {
      return Promise.reject(keyError(spec, error));
    }
    shaped = true;
  }
  // `== null` first: reading a property of undefined or null would throw instead of rejecting.
  const store = scope == null ? undefined : scope[storeOf];
  if (store === undefined) return Promise.reject(notAScope(spec, scope));
  const found = store.find(spec.id, key, shaped);
  if (found !== undefined && !(found instanceof RunEntry)) return found as Promise<O>;
  const call: MissedCall<I, O> = {
    store,
    caller: scope[callerOf],
    spec,
    key,
    shaped,
    input,
    fn,
    signal,
    group,
    receiver,
  };
  return joinOrStart(call, found) as Promise<O>;
}

/** A call whose key missed a completed entry: what {@link joinOrStart} needs to join a run or start one. */
export interface MissedCall<I, O> {
  /** The scope's store the key was looked up in. */
  readonly store: ScopeStore;
  /** The run whose body makes the call, if any: its waits are the wait-for graph's edges. */
  readonly caller: Run | undefined;
  /** The task called. */
  readonly spec: TaskSpec<I>;
  /** The input's cache key in `store`. */
  readonly key: unknown;
  /** Whether `key` is a structural key, kept in the store's tables of object inputs. */
  readonly shaped: boolean;
  /** The input as given. */
  readonly input: I;
  /** The body, run on a miss. */
  readonly fn: TaskFn<I, O>;
  /** The caller's signal: aborting it ends this call's wait only. */
  readonly signal: AbortSignal | undefined;
  /** The `all()` call the wait belongs to. */
  readonly group: WaitGroup | undefined;
  /** `this` for `fn`. */
  readonly receiver: unknown;
}

/**
 * What a call does once its key has missed a completed entry: joins the running entry `found`, or starts a run
 * when there is none. For a caller that looked the key up itself (the `@Task` wrapper's hit path); `runMemoized`
 * is the same checks, keying and lookup, then this.
 */
export function joinOrStart<I, O>(call: MissedCall<I, O>, found: RunEntry | undefined): Promise<unknown> {
  const { store, caller, signal, group } = call;
  // A body that goes on after its run was aborted gets cached results, but starts and joins nothing.
  if (caller !== undefined && caller.state === ABORTED) return Promise.reject(caller.abortReason);
  const waitingRun = caller !== undefined && caller.state === RUNNING ? caller : undefined;
  // An entry found here is running: the callers return a completed one's promise themselves.
  const joined = found?.run;
  if (joined !== undefined) {
    if (waitingRun !== undefined) {
      const cycle = waitPath(joined, waitingRun);
      if (cycle !== undefined) {
        return Promise.reject(new TaskCycleError([...cycle, joined].map((run) => run.label())));
      }
    }
    return attach(store, joined, waitingRun, signal, group);
  }
  if (store.aborted) return Promise.reject(store.abortReason);
  const run = store.create(call.spec, call.key, call.shaped, call.input).run!;
  const promise = attach(store, run, waitingRun, signal, group);
  void launch(store, run, call.fn, call.input, call.receiver);
  return promise;
}

/** Registers a caller on a run and returns what it should await. */
function attach(
  store: ScopeStore,
  run: Run,
  waitingRun: Run | undefined,
  signal: AbortSignal | undefined,
  group: WaitGroup | undefined,
): Promise<unknown> {
  if (waitingRun === undefined && signal === undefined && group === undefined) {
    run.pinned = true;
    return run.entry.promise;
  }
  const waiter = new Waiter(store, run, signal);
  run.waiterCount++;
  if (waitingRun !== undefined) (waitingRun.waits ??= []).push(waiter);
  if (group !== undefined) group.waiters.push(waiter);
  if (signal === undefined) return run.entry.promise;
  watchAbort(signal, waiter);
  return waiter.forward();
}

/** Resolved once: its reactions are jobs on the microtask queue, without the AsyncResource `queueMicrotask` makes. */
const SETTLED: Promise<void> = Promise.resolve();

/**
 * Starts the body on the microtask queue, not in the caller's stack: a deep chain of tasks calling tasks (memoized
 * recursion) then never piles up stack frames, and a run abandoned before it started never calls its body. The
 * entry is already in the scope, so a call the body makes back to itself finds it.
 */
function launch<I, O>(store: ScopeStore, run: Run, fn: TaskFn<I, O>, input: I, receiver: unknown): void {
  void SETTLED.then(() => start(store, run, fn, input, receiver));
}

function start<I, O>(store: ScopeStore, run: Run, fn: TaskFn<I, O>, input: I, receiver: unknown): void {
  if (run.state !== RUNNING) return;
  let result: Promise<O>;
  try {
    result = fn.call(receiver, scopeViewFor(store, run), input);
  } catch (error) {
    store.fail(run, error);
    return;
  }
  Promise.resolve(result).then(
    (value) => store.succeed(run, value),
    (error: unknown) => store.fail(run, error),
  );
}

/**
 * The chain of runs through which `from` waits for `to` (both included), if it does: joining `from` from `to`
 * would close that chain into a cycle. Iterative, so a deep wait chain cannot overflow the stack.
 */
function waitPath(from: Run, to: Run): Run[] | undefined {
  if (from === to) return [from];
  if (from.waits === undefined) return undefined;
  const reachedFrom = new Map<Run, Run>([[from, from]]);
  const pending = [from];
  for (let run = pending.pop(); run !== undefined; run = pending.pop()) {
    if (run.waits === undefined) continue;
    for (const waiter of run.waits) {
      const next = waiter.run;
      if (waiter.done || next.state !== RUNNING || reachedFrom.has(next)) continue;
      reachedFrom.set(next, run);
      if (next === to) {
        const path = [to];
        for (let step = to; step !== from;) path.push((step = reachedFrom.get(step)!));
        return path.reverse();
      }
      pending.push(next);
    }
  }
  return undefined;
}

function keyError(spec: TaskSpec<never>, error: unknown): TaskKeyError {
  const naming = spec.naming ?? 'input';
  const problem = error instanceof UnkeyableInput ? error.describe(naming) : 'its input could not be keyed';
  return new TaskKeyError(spec.name, problem, { cause: error, method: naming !== 'input' });
}

function notAScope(spec: TaskSpec<never>, scope: unknown): TaskOptionError {
  const got =
    scope === null
      ? 'null'
      : typeof scope === 'object'
        ? `a ${scope.constructor?.name ?? 'plain'} object`
        : typeof scope;
  return new TaskOptionError(
    `Task "${spec.name}" was run without a TaskScope (got ${got}); pass one: task.run(scope, input)`,
  );
}
