import { ConfigurationError, messageOf, OrdoError } from '../errors/index.js';
import { type Duration, parseDuration } from '../time/index.js';

/**
 * Thrown to the caller whose call would close a wait cycle: a task that awaits its own result with the same
 * input, directly or through other tasks. Without it the run would wait on itself forever.
 *
 * @example
 * // getUser("1") calls getPosts("1"), which calls getUser("1") again:
 * // TaskCycleError: getUser("1") -> getPosts("1") -> getUser("1") ...
 */
export class TaskCycleError extends OrdoError {
  declare readonly code: 'ORDO_TASK_CYCLE';

  /** The runs in the cycle, first and last the same, e.g. `['getUser("1")', 'getPosts("1")', 'getUser("1")']`. */
  readonly path: readonly string[];

  constructor(path: readonly string[]) {
    super(
      'ORDO_TASK_CYCLE',
      `Task cycle: ${path.join(' -> ')}. A task awaited its own result (directly or through other tasks), ` +
        'which would never settle; break the cycle or call the task with a different input.',
    );
    this.path = path;
  }
}

/** Options of {@link TaskKeyError}. */
export interface TaskKeyErrorOptions {
  /**
   * The error that made keying fail: the key function's, or the structural keyer's.
   *
   * @default none
   */
  cause?: unknown;
  /**
   * The task is a `@Task()` method: its input is its arguments, and the fix is the decorator's `key` option.
   *
   * @default false
   */
  method?: boolean;
}

/**
 * Thrown (as a rejection) when a task's input cannot be turned into a cache key — a function, a symbol, a cyclic
 * object, an object with nothing to key by — or when the task's own `key` function throws.
 */
export class TaskKeyError extends OrdoError {
  declare readonly code: 'ORDO_TASK_KEY';

  /** The name of the task whose input could not be keyed (`Class.method` for a `@Task()` method). */
  readonly task: string;

  /**
   * @param task the task's name (`Class.method` for a method).
   * @param problem what is wrong and where, e.g. `it contains a function at input.filter`.
   */
  constructor(task: string, problem: string, options: TaskKeyErrorOptions = {}) {
    const fix = options.method
      ? `Cannot key the arguments of ${task}: ${problem}. ` +
        'Pass a key function that makes a string of the arguments, e.g. @Task({ key: (...args) => ... }).'
      : `Cannot key the input of task "${task}": ${problem}. ` +
        'Pass a key function, e.g. task(fn, { key: (input) => input.id }).';
    super('ORDO_TASK_KEY', fix, { cause: options.cause });
    this.task = task;
  }
}

/**
 * Thrown by {@link task}, the `@Task()` decorator and the {@link TaskScope} constructor for an option that cannot
 * work, naming the task (`Class.method` for a method) or the scope. A configuration mistake, found before anything
 * runs.
 */
export class TaskOptionError extends ConfigurationError {
  declare readonly code: 'ORDO_TASK_OPTION';

  /** @param message names the task or scope and the option; `options.cause` is the error behind it, if any. */
  constructor(message: string, options?: { cause?: unknown }) {
    super('ORDO_TASK_OPTION', message, options);
  }
}

/** The codes of {@link TaskMethodError}. */
export type TaskMethodErrorCode = 'ORDO_TASK_NOT_ASYNC' | 'ORDO_TASK_OUTSIDE_SCOPE';

/**
 * What a call of a `@Task()` method rejects with when it cannot be served as a task, naming `Class.method`:
 *
 * - `ORDO_TASK_NOT_ASYNC`: the method returned something other than a promise. A task's result is shared as a
 *   promise, so the method must be `async` or return a Promise; its type says so, and this catches what the types
 *   let through (a cast, plain JavaScript).
 * - `ORDO_TASK_OUTSIDE_SCOPE`: the method was called outside any request scope, where it would run unmemoized, in
 *   an app made with `Ordo.create(root, { tasks: { outsideScope: 'error' } })`.
 */
export class TaskMethodError extends OrdoError {
  declare readonly code: TaskMethodErrorCode;

  /** The method at fault, as `Class.method`. */
  readonly method: string;

  /**
   * @param code which of the two problems it is.
   * @param method `Class.method`.
   * @param message names the method and says what to do.
   */
  constructor(code: TaskMethodErrorCode, method: string, message: string) {
    super(code, message);
    this.method = method;
  }
}

/** {@link TaskMethodError} `ORDO_TASK_NOT_ASYNC` for `method`, which returned `result`. */
export function notAsyncError(method: string, result: unknown): TaskMethodError {
  let got: string;
  if (result === undefined || result === null) got = String(result);
  else if (typeof result !== 'object') got = `a ${typeof result}`;
  else {
    const className = (result as { constructor?: { name?: unknown } }).constructor?.name;
    got = typeof className === 'string' && className !== '' && className !== 'Object' ? `a ${className}` : 'an object';
  }
  return new TaskMethodError(
    'ORDO_TASK_NOT_ASYNC',
    method,
    `@Task() method ${method} returned ${got}, not a promise. A task's result is shared as a promise: declare ` +
      'the method async, or return a Promise.',
  );
}

/** {@link TaskMethodError} `ORDO_TASK_OUTSIDE_SCOPE` for `method`. */
export function outsideScopeError(method: string): TaskMethodError {
  return new TaskMethodError(
    'ORDO_TASK_OUTSIDE_SCOPE',
    method,
    `@Task() method ${method} was called outside any request scope, where it would run unmemoized, and this app ` +
      "refuses that (Ordo.create(..., { tasks: { outsideScope: 'error' } })). Call it inside app.scope().run() or " +
      "app.runInScope(), or make it app-wide with @Task({ scope: 'app' }).",
  );
}

/**
 * `TaskScope` was resolved from the container outside any request scope (`ORDO_NO_REQUEST_SCOPE`): a transient or
 * request-scoped service that injects it was resolved outside `app.scope().run()` or `app.runInScope()`.
 */
export class RequestScopeError extends OrdoError {
  declare readonly code: 'ORDO_NO_REQUEST_SCOPE';

  /** @param message says what was resolved and where to resolve it instead. */
  constructor(message: string) {
    super('ORDO_NO_REQUEST_SCOPE', message);
  }
}

/**
 * The milliseconds of a `ttl` option; an invalid one throws {@link TaskOptionError} naming `owner` (e.g.
 * `task "getUser"`), with the `InvalidDurationError` as its cause.
 */
export function parseTtlOption(ttl: Duration, owner: string): number {
  try {
    return parseDuration(ttl);
  } catch (error) {
    throw new TaskOptionError(`Invalid ttl for ${owner}: ${messageOf(error)}`, { cause: error });
  }
}
