import type { Duration } from '../time/index.js';
import { parseTtlOption, TaskOptionError } from './task-errors.js';
import type { TaskSpec } from './task-spec.js';

/** Options of the {@link Task} method decorator. */
export interface TaskMethodOptions {
  /**
   * Where results are shared: `'request'` within the current request scope; `'app'` in one app-wide scope, e.g.
   * a config fetch shared by every request for its `ttl`.
   *
   * @default 'request'
   *
   * @example
   * ```ts
   * @Task({ scope: 'app', ttl: '5m' }) async config() { return fetchConfig(); }
   * ```
   */
  scope?: 'request' | 'app';
  /**
   * How long a completed result is kept, counted from completion. `0`: only shared while in flight.
   *
   * @default the scope's life for `scope: 'request'`, forever for `scope: 'app'`
   */
  ttl?: Duration;
  /**
   * The cache key of the arguments, replacing the structural key.
   *
   * @default the structural key of the arguments (one primitive argument is its own key)
   *
   * @example
   * ```ts
   * @Task({ key: (filter: Filter) => filter.id }) async search(filter: Filter) { return this.db.search(filter); }
   * ```
   */
  key?: (...args: never[]) => string;
  /**
   * Keep failures like results, for the entry's lifetime. An abort is never kept.
   *
   * @default false
   */
  cacheErrors?: boolean;
}

/** The task specs of one `@Task` method, one per way its calls are keyed. */
export interface MethodSpecs {
  /** Calls with one argument, keyed on the argument itself (the fast path). */
  readonly single: TaskSpec<unknown>;
  /** Calls with another number of arguments, keyed on the argument list. */
  readonly multiple: TaskSpec<unknown[]>;
  /** Calls without arguments: `multiple` with a custom key, else a spec of their own with a constant key. */
  readonly none: TaskSpec<unknown[]>;
  /** The custom key of the arguments, if the method has one. */
  readonly customKey: ((...args: unknown[]) => string) | undefined;
}

/**
 * Checks a `@Task` method's options and makes its specs.
 *
 * @param name `Class.method`, for messages and as the tasks' name.
 * @throws TaskOptionError for an invalid `scope`, `ttl` or `key`, naming `name`.
 */
export function methodSpecs(name: string, options: TaskMethodOptions): MethodSpecs {
  if (options.scope !== undefined && options.scope !== 'request' && options.scope !== 'app') {
    throw new TaskOptionError(
      `@Task() on ${name}: scope must be 'request' or 'app', got ${JSON.stringify(options.scope)}`,
    );
  }
  if (options.key !== undefined && typeof options.key !== 'function') {
    throw new TaskOptionError(`@Task() on ${name}: key must be a function of the arguments, got ${typeof options.key}`);
  }
  const ttl = options.ttl === undefined ? undefined : parseTtlOption(options.ttl, `@Task() on ${name}`);
  const customKey = options.key as ((...args: unknown[]) => string) | undefined;
  // f([1, 2]) and f(1, 2) must not share an entry, hence two specs. Calls without arguments get a spec of their
  // own so that `config()` does not pay for a structural key of `[]` on every hit (no other argument list has
  // that key, so nothing else shared it).
  const single: TaskSpec<unknown> = {
    id: {},
    name,
    key: customKey && ((input) => customKey(input)),
    ttl,
    cacheErrors: options.cacheErrors ?? false,
    naming: 'argument',
  };
  const multiple: TaskSpec<unknown[]> = {
    ...single,
    id: {},
    key: customKey && ((args) => customKey(...args)),
    naming: 'arguments',
  };
  const none: TaskSpec<unknown[]> = customKey ? multiple : { ...multiple, id: {}, key: noArguments };
  return { single, multiple, none, customKey };
}

/**
 * The key of every call without arguments: there is only one such input, and its table is its own. A small
 * integer, which a Map finds faster than `''`. See docs/internals/performance.md#the-key-of-calls-without-arguments.
 */
export const NO_ARGUMENTS_KEY = 0;

function noArguments(): number {
  return NO_ARGUMENTS_KEY;
}

/** The input of every call without arguments, made once: a body gets it spread, so no one sees it. */
export const NO_ARGUMENTS: unknown[] = Object.freeze([]) as unknown as unknown[];
