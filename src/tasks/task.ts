import type { Duration } from '../time/index.js';
import type { WaitGroup } from './run-waiter.js';
import { runMemoized } from './run-memoized.js';
import { joinGroup } from './scope-internals.js';
import { parseTtlOption, TaskOptionError } from './task-errors.js';
import type { TaskScope } from './task-scope.js';
import type { TaskFn, TaskSpec } from './task-spec.js';

/** Options of {@link task}. */
export interface TaskOptions<I> {
  /**
   * Name in error messages and cycle paths.
   *
   * @default the function's name, else `'anonymous task'`
   */
  name?: string;
  /**
   * The cache key of an input, replacing the structural key: use it for inputs that cannot be keyed (functions,
   * class instances with private state) or to key by an id only.
   *
   * @default the structural key of the input (a primitive input is its own key)
   *
   * @example
   * ```ts
   * const search = task(async (_scope, q: { userId: string; page: number }) => find(q), {
   *   key: (q) => `${q.userId}:${q.page}`,
   * });
   * ```
   */
  key?: (input: I) => string;
  /**
   * How long a completed result is kept, counted from completion; overrides the scope's ttl. `0`: only shared
   * while in flight.
   *
   * @default the scope's `ttl`
   */
  ttl?: Duration;
  /**
   * Keep failures for the entry's lifetime, like results. When `false`, the next caller after a failure runs the
   * task again. An abort is never kept.
   *
   * @default false
   */
  cacheErrors?: boolean;
}

/** Options of one call of {@link Task.run}. */
export interface TaskRunOptions {
  /**
   * This caller's signal. Aborting it rejects this call with the signal's reason; the run goes on for the other
   * callers, and is aborted when none is left.
   *
   * @default none: the call waits until the run settles (or the scope aborts)
   */
  signal?: AbortSignal;
}

/**
 * A function memoized per {@link TaskScope} and input. Make one with {@link task}.
 *
 * (An interface, not a class, so that the `@Task()` method decorator can share the name at the package root.)
 *
 * @example
 * const getUser = task(async (scope, id: string) => db.users.find(id, { signal: scope.signal }), { name: 'getUser' });
 * const user = await getUser.run(scope, '1'); // runs once per scope and id
 */
export interface Task<I, O> {
  /** Name in error messages and cycle paths. */
  readonly name: string;
  /** Milliseconds a completed result is kept, or `undefined` to use the scope's ttl. */
  readonly ttl: number | undefined;
  /** Whether failures are kept like results. */
  readonly cacheErrors: boolean;
  /** The custom key function, if any. */
  readonly key: ((input: I) => string) | undefined;

  /**
   * The task's output for `input` in `scope`: runs the body the first time, then returns the shared result —
   * concurrent callers wait on the same run.
   */
  run(scope: TaskScope, input: I, options?: TaskRunOptions): Promise<O>;

  /** This task with its input, for {@link TaskScope.all} and {@link TaskScope.allSettled}. */
  bind(input: I): BoundTask<O>;
}

/** The task made by {@link task}; it is its own identity in a scope's cache. */
class MemoizedTask<I, O> implements Task<I, O>, TaskSpec<I> {
  readonly id: object = this;
  readonly name: string;
  readonly key: ((input: I) => string) | undefined;
  readonly ttl: number | undefined;
  readonly cacheErrors: boolean;

  readonly #fn: TaskFn<I, O>;

  constructor(fn: TaskFn<I, O>, options: TaskOptions<I>) {
    this.#fn = fn;
    if (typeof fn !== 'function') throw new TaskOptionError(`task() needs a function, got ${typeof fn}`);
    if (options.key !== undefined && typeof options.key !== 'function') {
      throw new TaskOptionError(`The key option of task "${options.name ?? fn.name}" must be a function of the input`);
    }
    this.name = options.name ?? (fn.name || 'anonymous task');
    this.key = options.key;
    this.ttl = options.ttl === undefined ? undefined : parseTtlOption(options.ttl, `task "${this.name}"`);
    this.cacheErrors = options.cacheErrors ?? false;
  }

  run(scope: TaskScope, input: I, options?: TaskRunOptions): Promise<O> {
    return runMemoized(scope, this, input, this.#fn, options === undefined ? undefined : options.signal);
  }

  bind(input: I): BoundTask<O> {
    return new BoundTask(this, input, this.#fn);
  }
}

/**
 * A task and its input, not yet run: what {@link TaskScope.all} and {@link TaskScope.allSettled} take.
 * Made by {@link Task.bind}. `@Task()` methods have no bound form: call them and combine their promises with
 * `Promise.all`, which shares their runs just the same.
 */
export class BoundTask<O> {
  readonly #spec: TaskSpec<never>;
  readonly #fn: TaskFn<never, O>;

  /**
   * @param spec the task's identity and options in the memo.
   * @param input the input the task will run with.
   * @param fn the task's body.
   */
  constructor(
    spec: TaskSpec<never>,
    /** The input the task will run with. */
    readonly input: unknown,
    fn: TaskFn<never, O>,
  ) {
    this.#spec = spec;
    this.#fn = fn;
  }

  /** Name of the task, for messages. */
  get name(): string {
    return this.#spec.name;
  }

  /** Runs the bound task alone, like `task.run(scope, input, options)`. */
  run(scope: TaskScope, options?: TaskRunOptions): Promise<O> {
    return runMemoized(scope, this.#spec, this.input as never, this.#fn, options?.signal);
  }

  /** @internal */
  [joinGroup](scope: TaskScope, group: WaitGroup): Promise<O> {
    return runMemoized(scope, this.#spec, this.input as never, this.#fn, undefined, group);
  }
}

/**
 * Declares a task: `fn` runs at most once per scope and input, and every caller in the scope shares the result.
 * Name the function (or pass `name`) so errors and cycle paths say which task.
 *
 * @example
 * const getPosts = task(async function getPosts(scope, userId: string) {
 *   const user = await getUser.run(scope, userId); // shared with every other caller in the scope
 *   return api.posts(user.id, { signal: scope.signal });
 * }, { ttl: '30s' });
 */
export function task<I, O>(fn: TaskFn<I, O>, options: TaskOptions<I> = {}): Task<I, O> {
  return new MemoizedTask(fn, options);
}
