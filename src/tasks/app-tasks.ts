import type { ServiceIdentifier } from 'inversify';
import type { Runtime, RuntimeContext, RuntimePreparation } from '../core/index.js';
import { bindingReaderOf, type RequestOnlyHint } from '../core/internal.js';
import { Clock } from '../time/index.js';
import { currentTaskScope, RequestScope, type RequestScopeOptions } from './request-scope.js';
import {
  attachAppScope,
  refuseCallsOutsideScope,
  refusesCallsOutsideScope,
  taskMethodsOf,
  type AppTaskOptions,
} from './task-decorator.js';
import { RequestScopeError } from './task-errors.js';
import { TaskScope } from './task-scope.js';

/** Default bound of the app-wide memo of `@Task({ scope: 'app' })` results; least recently used go first. */
export const DEFAULT_APP_TASK_ENTRIES = 10_000;

/** What the composition root tells the tasks of one app. */
export interface AppTasksSettings {
  /** The app's `tasks` option. */
  readonly options?: AppTaskOptions;
  /** The most results the app-wide memo keeps; default {@link DEFAULT_APP_TASK_ENTRIES}. */
  readonly entries?: number;
  /** Why the app-wide memo ended, given to its runs still going and to every later call. */
  readonly endedBy: () => Error;
}

/** What only a request has; a singleton that injects it is refused at discovery (see `DiscoveryHints.requestOnly`). */
export const TASK_REQUEST_ONLY: ReadonlyMap<ServiceIdentifier, RequestOnlyHint> = new Map([
  [TaskScope, { what: "a request's scope", instead: 'call currentTaskScope() inside the method that needs it' }],
]);

/**
 * The tasks of one app, as a runtime: the app-wide memo of `@Task({ scope: 'app' })` methods, the request scopes
 * the app opens, and the `TaskScope` binding. It prepares at `Ordo.create()` (binds `TaskScope`, ties instances with
 * `@Task` methods to the app when the container activates them) and, at close, ends the app-wide memo.
 *
 * @throws TaskOptionError from the constructor for an invalid `tasks.outsideScope`.
 */
export class AppTasks implements Runtime {
  readonly name = 'tasks';
  readonly #refuseOutsideScope: boolean;
  readonly #entries: number;
  readonly #endedBy: () => Error;
  /** Ends the app-wide memo at close: its runs are aborted and it refuses new ones. */
  readonly #end = new AbortController();
  #memo?: TaskScope;
  #clock?: Clock;
  #container?: RuntimePreparation['container'];

  constructor({ options, entries = DEFAULT_APP_TASK_ENTRIES, endedBy }: AppTasksSettings) {
    this.#refuseOutsideScope = refusesCallsOutsideScope(options);
    this.#entries = entries;
    this.#endedBy = endedBy;
  }

  /**
   * Makes the current request scope injectable as `TaskScope`, and ties every instance with `@Task` methods to the
   * app when the container activates it: app-wide methods to the app-wide memo, and, with `outsideScope: 'error'`,
   * every `@Task` method to the refusal of calls outside a request scope.
   */
  prepare({ container }: RuntimePreparation): void {
    this.#container = container;
    if (!container.isBound(TaskScope)) {
      // Transient whatever the container's default: a cached TaskScope would hand the first request's scope to
      // every later request, and stop failing outside a scope.
      container
        .bind(TaskScope)
        .toDynamicValue(() => {
          const scope = currentTaskScope();
          if (!scope) {
            throw new RequestScopeError(
              'TaskScope was injected outside a request scope; resolve the services that inject it (transient or ' +
                'request-scoped bindings) inside app.scope().run() or app.runInScope()',
            );
          }
          return scope;
        })
        .inTransientScope();
    }
    const reader = bindingReaderOf(container);
    for (const id of reader.boundServices()) {
      const methods = reader
        .bindingsOf(id)
        .flatMap((binding) => (binding.type === 'Instance' ? taskMethodsOf(binding.implementationType) : []));
      const appWide = methods.some((m) => m.options.scope === 'app');
      const refuses = this.#refuseOutsideScope && methods.length > 0;
      if (appWide || refuses) {
        container.onActivation(id, (_context, instance) => {
          if (appWide) attachAppScope(instance as object, this.memo);
          if (refuses) refuseCallsOutsideScope(instance as object);
          return instance;
        });
      }
    }
  }

  /** Adopts the Clock the start resolved, unless a scope opened earlier already fixed one. */
  start(context: RuntimeContext): void {
    this.#clock ??= context.clock;
  }

  /** Ends the app-wide memo: requests were served by components until they stopped; runs still going serve no one. */
  close(): void {
    this.#end.abort(this.#endedBy());
  }

  /** The app-wide memo, on the app's Clock; made when first needed. */
  get memo(): TaskScope {
    this.#memo ??= new TaskScope({
      clock: this.#scopeClock(),
      maxEntries: this.#entries,
      signal: this.#end.signal,
      keepResultsOnAbort: false,
    });
    return this.#memo;
  }

  /** A new request scope on the app's Clock, with the app-wide memo for the app-wide methods called in it. */
  scope(options: RequestScopeOptions): RequestScope {
    // Fields listed, not spread: one hidden class per request (docs/internals/performance.md#request-scope-options).
    return new RequestScope({
      signal: options.signal,
      ttl: options.ttl,
      maxEntries: options.maxEntries,
      clock: this.#scopeClock(),
      appScope: this.memo,
    });
  }

  /** The Clock for task scopes, resolved once: a container lookup per request would cost more than the scope. */
  #scopeClock(): Clock {
    this.#clock ??= this.#container!.get(Clock);
    return this.#clock;
  }
}
