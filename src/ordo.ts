import { Container, type ServiceIdentifier } from 'inversify';
import { ConfigurationError, ConsoleLogger, Logger, type ModuleClass, type Override } from './core/index.js';
import {
  bindingReaderOf,
  CIRCULAR_IMPORT_HINT,
  compileModules,
  discoverComponents,
  isModule,
  type CompiledModules,
  type RequestOnlyHint,
} from './core/internal.js';
import { checkCreateOptions } from './create-options.js';
import { App, type AppExtension, type AppOptions } from './lifecycle/index.js';
import { currentTaskScope, RequestScopeError, TaskScope, type AppTaskOptions } from './tasks/index.js';
import { attachAppScope, refuseCallsOutsideScope, refusesCallsOutsideScope, taskMethodsOf } from './tasks/internal.js';
import { Clock, SystemClock } from './time/index.js';

/** Options of {@link Ordo.create}. */
export interface CreateOptions extends AppOptions {
  /**
   * Replaces bindings before anything is resolved, as NestJS's `overrideProvider` does in tests:
   * `[override(Clock, new VirtualClock()), override(Mailer, fakeMailer)]`, where {@link override} checks each
   * value's type against its identifier (plain pairs, `[[Clock, clock]]`, are accepted unchecked). Each value is
   * bound as a constant.
   */
  overrides?: Iterable<Override>;
  /** Runtimes that join the app's life after components start and leave it before they stop. */
  extensions?: readonly AppExtension[];
  /**
   * How the app's `@Task` methods behave outside a request scope: `{ outsideScope: 'error' }` makes such calls
   * reject with `ORDO_TASK_OUTSIDE_SCOPE` instead of running unmemoized (the default, `'run'`); tests turn it on.
   */
  tasks?: AppTaskOptions;
}

/**
 * The entry point: builds an {@link App} from a `@Module` class or a container you filled.
 *
 * @example
 * ```ts
 * const app = await Ordo.create(AppModule);
 * app.enableShutdownHooks();
 * await app.start();
 * ```
 */
export class Ordo {
  private constructor() {}

  /**
   * Validates everything from metadata and resolves nothing: misuse of decorators, options that cannot work (its own,
   * `@Component`'s, `@HealthCheck`'s, module providers'), unbound dependencies, a singleton holding a request's
   * `TaskScope`, duplicate names and cycles are errors here, before any code of yours runs. Binds `Clock` to a `SystemClock` and `Logger`
   * to a `ConsoleLogger` unless the container binds them already, `App` to the app, and `TaskScope` to the current
   * request scope.
   *
   * @throws ConfigurationError naming what is wrong.
   */
  static async create(root: ModuleClass | Container, options: CreateOptions = {}): Promise<App> {
    const checked = checkCreateOptions(options);
    const compiled = compile(root);
    const { container } = compiled;
    if (!container.isBound(Clock)) container.bind(Clock).toDynamicValue(() => new SystemClock()).inSingletonScope();
    if (!container.isBound(Logger)) container.bind(Logger).toDynamicValue(() => new ConsoleLogger()).inSingletonScope();
    for (const [id, value] of checked.overrides) {
      if (container.isBound(id)) container.rebind(id).toConstantValue(value);
      else container.bind(id).toConstantValue(value);
    }
    // The App itself is injectable (e.g. to open request scopes in a handler); it exists once discovery is done.
    let app: App | undefined;
    if (!container.isBound(App)) container.bind(App).toDynamicValue(() => app!);
    const graph = discoverComponents(container, { factoryDependencies: compiled.factoryDependencies, requestOnly: REQUEST_ONLY });
    app = new App(container, graph, checked.extensions, options);
    bindTaskScopes(app, options.tasks);
    return app;
  }
}

/** What only a request has; a singleton that injects it is refused (see `DiscoveryHints.requestOnly`). */
const REQUEST_ONLY: ReadonlyMap<ServiceIdentifier, RequestOnlyHint> = new Map([
  [TaskScope, { what: "a request's scope", instead: 'call currentTaskScope() inside the method that needs it' }],
]);

function compile(root: ModuleClass | Container): CompiledModules {
  if (root instanceof Container) return { container: root, factoryDependencies: new Map() };
  if (isModule(root)) return compileModules(root);
  if (looksLikeContainer(root)) {
    throw new ConfigurationError(
      'ORDO_FOREIGN_CONTAINER',
      'Ordo.create() got an inversify Container from another copy of inversify than the one Ordo uses: two copies ' +
        'are installed, and bindings, decorators and plugins of one are invisible to the other. Run `npm ls inversify`, ' +
        'depend on the one version Ordo accepts (its peerDependencies) and run `npm dedupe` so that your code and Ordo ' +
        'import the same copy',
    );
  }
  throw new ConfigurationError(
    'ORDO_NOT_A_MODULE',
    root === undefined
      ? `Ordo.create() takes a @Module class or an inversify Container, got undefined, ${CIRCULAR_IMPORT_HINT}; break the import cycle`
      : `Ordo.create() takes a @Module class or an inversify Container, got ${typeof root === 'function' ? (root as { name: string }).name : typeof root}`,
  );
}

/** True for an object with the methods of an inversify Container, whatever copy of inversify made it. */
function looksLikeContainer(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const methods = value as Record<string, unknown>;
  return ['bind', 'unbind', 'rebind', 'isBound', 'get', 'getAsync'].every((name) => typeof methods[name] === 'function');
}

/**
 * Makes the current request scope injectable as `TaskScope`, and ties every instance with `@Task` methods to the
 * app when the container activates it: app-wide methods to the app's scope, and, with `outsideScope: 'error'`, every
 * `@Task` method to the app's refusal of calls outside a request scope.
 *
 * @throws TaskOptionError for an invalid `tasks` option.
 */
function bindTaskScopes(app: App, options: AppTaskOptions | undefined): void {
  const refuseOutsideScope = refusesCallsOutsideScope(options);
  const { container } = app;
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
    const refuses = refuseOutsideScope && methods.length > 0;
    if (appWide || refuses) {
      container.onActivation(id, (_context, instance) => {
        if (appWide) attachAppScope(instance as object, app.appTasks);
        if (refuses) refuseCallsOutsideScope(instance as object);
        return instance;
      });
    }
  }
}
