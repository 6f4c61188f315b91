import type { ScopeStore, Slot } from './memo-store.js';
import { RunEntry } from './run-entry.js';
import { joinOrStart } from './run-memoized.js';
import { callerOf, storeOf } from './scope-internals.js';
import type { TaskScope } from './task-scope.js';
import type { TaskFn, TaskSpec } from './task-spec.js';

/**
 * The calls of one spec of a `@Task` method whose key needs no work — one primitive argument, or none, and no
 * custom key — looked up here rather than in runMemoized, which first works out how to key the input (custom key,
 * structural key, their errors) for every kind of task. Never called with an aborted signal, which runMemoized
 * rejects.
 *
 * An app-wide method also keeps the table of the last app-wide scope it saw, to save a map lookup per hit; a
 * request's is never kept, or its results would outlive it. See
 * docs/internals/performance.md#the-task-method-wrapper.
 */
export class MethodLookup {
  #keptScope: TaskScope | undefined = undefined;
  #keptStore: ScopeStore | undefined = undefined;
  #keptTable: Map<unknown, Slot> | undefined = undefined;

  readonly #spec: TaskSpec<never>;
  readonly #fn: TaskFn<never, unknown>;
  readonly #keepsTable: boolean;

  /**
   * @param spec the spec whose calls these are.
   * @param fn the task body, run on a miss.
   * @param keepsTable whether to keep the table of the last scope (app-wide methods only).
   */
  constructor(spec: TaskSpec<never>, fn: TaskFn<never, unknown>, keepsTable: boolean) {
    this.#spec = spec;
    this.#fn = fn;
    this.#keepsTable = keepsTable;
  }

  /** The cached result for `key` in `scope`, or the run it joins or starts. Positional: this is every hit's path. */
  call(
    receiver: unknown,
    scope: TaskScope,
    key: unknown,
    input: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    let store: ScopeStore;
    let table: Map<unknown, Slot> | undefined;
    const kept = this.#keepsTable && this.#keptScope === scope;
    if (kept) {
      store = this.#keptStore!;
      table = this.#keptTable;
    } else {
      store = scope[storeOf];
      table = store.tableOf(this.#spec.id);
      // Not a body's view of the scope: it would keep that run alive, and the next call comes through another.
      if (this.#keepsTable && table !== undefined && scope[callerOf] === undefined) this.#keep(scope, store, table);
    }
    let found = store.findIn(table, key);
    if (found === undefined && kept) {
      const current = store.tableOf(this.#spec.id);
      if (current !== table) {
        // The kept table left the store with its last entry; the task's entries are now in another one, or none.
        this.#forget();
        table = current;
        if (table !== undefined) {
          this.#keep(scope, store, table);
          found = store.findIn(table, key);
        }
      }
    }
    if (found !== undefined && !(found instanceof RunEntry)) return found;
    const spec = this.#spec;
    const fn = this.#fn;
    const call = {
      store,
      caller: scope[callerOf],
      spec,
      key,
      shaped: false,
      input: input as never,
      fn,
      signal,
      group: undefined,
      receiver,
    };
    return joinOrStart(call, found);
  }

  #keep(scope: TaskScope, store: ScopeStore, table: Map<unknown, Slot>): void {
    this.#keptScope = scope;
    this.#keptStore = store;
    this.#keptTable = table;
  }

  #forget(): void {
    this.#keptScope = this.#keptStore = this.#keptTable = undefined;
  }
}
