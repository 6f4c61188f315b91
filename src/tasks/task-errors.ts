import { OrdoError } from '../errors/index.js';

/**
 * Thrown to the caller whose call would close a wait cycle: a task that awaits its own result with the same
 * input, directly or through other tasks. Without it the run would wait on itself forever.
 *
 * @example
 * // getUser("1") calls getPosts("1"), which calls getUser("1") again:
 * // TaskCycleError: getUser("1") -> getPosts("1") -> getUser("1") ...
 */
export class TaskCycleError extends OrdoError {
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

/**
 * Thrown (as a rejection) when a task's input cannot be turned into a cache key — a function, a symbol, a cyclic
 * object, an object with nothing to key by — or when the task's own `key` function throws.
 */
export class TaskKeyError extends OrdoError {
  /** The name of the task whose input could not be keyed. */
  readonly task: string;

  constructor(task: string, problem: string, options?: { cause?: unknown }) {
    super(
      'ORDO_TASK_KEY',
      `Cannot key the input of task "${task}": ${problem}. ` +
        'Pass a key function, e.g. task(fn, { key: (input) => input.id }).',
      options,
    );
    this.task = task;
  }
}

/** Thrown by {@link task} and the {@link TaskScope} constructor for an option that cannot work, naming it. */
export class TaskOptionError extends OrdoError {
  constructor(message: string) {
    super('ORDO_TASK_OPTION', message);
  }
}
