import { Container } from 'inversify';
import {
  ConfigurationError,
  ConsoleLogger,
  Logger,
  type ModuleClass,
  type Override,
  type Runtime,
} from '../core/index.js';
import {
  CIRCULAR_IMPORT_HINT,
  compileModules,
  discoverComponents,
  isModule,
  type CompiledModules,
} from '../core/internal.js';
import { AppStateError } from '../lifecycle/index.js';
import { ComponentLifecycle, type RuntimeEntry } from '../lifecycle/internal.js';
import type { JobsOptions } from '../jobs/index.js';
import { JobsRuntime } from '../jobs/internal.js';
import { BackgroundRuntime, Scheduler } from '../schedule/internal.js';
import type { AppTaskOptions } from '../tasks/index.js';
import { AppTasks, TASK_REQUEST_END, TASK_REQUEST_ONLY } from '../tasks/internal.js';
import { Clock, SystemClock } from '../time/index.js';
import { App, OrdoApp, type AppOptions } from './app.js';
import { checkCreateOptions } from './create-options.js';

/** Options of {@link Ordo.create}. */
export interface CreateOptions extends AppOptions {
  /**
   * Replaces bindings before anything is resolved, as NestJS's `overrideProvider` does in tests:
   * `[override(Clock, new VirtualClock()), override(Mailer, fakeMailer)]`, where {@link override} checks each
   * value's type against its identifier (plain pairs, `[[Clock, clock]]`, are accepted unchecked). Each value is
   * bound as a constant.
   */
  overrides?: Iterable<Override>;
  /**
   * Your runtimes, which join the app's life beside its components (see {@link Runtime}): prepared here, started
   * after every component started and after Ordo's own runtimes, stopped before any component stops, closed once
   * they stopped; in the order given, and in reverse to stop and close.
   */
  runtimes?: readonly Runtime[];
  /**
   * Runtimes under their first name; they come after `runtimes`, and reports call them extensions.
   *
   * @deprecated Use `runtimes`.
   */
  extensions?: readonly Runtime[];
  /**
   * How the app's `@Task` methods behave outside a request scope: `{ outsideScope: 'error' }` makes such calls
   * reject with `ORDO_TASK_OUTSIDE_SCOPE` instead of running unmemoized; tests turn it on.
   * @default { outsideScope: 'run' }
   * @example { tasks: { outsideScope: 'error' } }
   */
  tasks?: AppTaskOptions;
  /**
   * Where the app's durable `@Job`s are stored and run: the embedded SQLite engine on `.ordo/jobs.db` unless this
   * says otherwise (see docs/jobs.md). No engine is loaded when the app declares no `@Job` and no `{ cluster: true }` schedule.
   * @example { jobs: { sqlite: { path: 'data/jobs.db' } } }
   * @example { jobs: { bullmq: { connection: process.env.REDIS_URL } } }
   */
  jobs?: JobsOptions;
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
   * request scope; prepares every runtime (Ordo's first, then `runtimes`, then `extensions`) before it discovers the
   * components, so that they may inject what a runtime binds.
   *
   * @throws ConfigurationError naming what is wrong.
   * @throws TaskOptionError for an invalid `tasks` option.
   */
  static async create(root: ModuleClass | Container, options: CreateOptions = {}): Promise<App> {
    const checked = checkCreateOptions(options);
    const tasks = new AppTasks({
      options: options.tasks,
      entries: options.appTaskEntries,
      endedBy: () => new AppStateError('ORDO_STOPPED', 'the app stopped'),
    });
    const compiled = compile(root);
    const { container } = compiled;
    if (!container.isBound(Clock))
      container
        .bind(Clock)
        .toDynamicValue(() => new SystemClock())
        .inSingletonScope();
    if (!container.isBound(Logger))
      container
        .bind(Logger)
        .toDynamicValue(() => new ConsoleLogger())
        .inSingletonScope();
    for (const [id, value] of checked.overrides) {
      if (container.isBound(id)) container.rebind(id).toConstantValue(value);
      else container.bind(id).toConstantValue(value);
    }
    // The App itself is injectable (e.g. to open request scopes in a handler); it exists once discovery is done.
    let app: App | undefined;
    if (!container.isBound(App)) container.bind(App).toDynamicValue(() => app!);
    // Ordo's own runtimes first, in a fixed order; they start first and stop last.
    // Cluster-once schedules: the scheduler asks the jobs runtime for their ticks, neither importing the other.
    const jobs = new JobsRuntime({ options: checked.jobs });
    const scheduler = new Scheduler(jobs.cluster);
    const runtimes: RuntimeEntry[] = [
      { runtime: tasks, kind: 'runtime' },
      // Background work stops after the runtimes listed later (schedules, whose runs may start some) and drains.
      { runtime: new BackgroundRuntime(TASK_REQUEST_END), kind: 'runtime' },
      // Job workers start before schedules (a scheduled run may enqueue) and stop after them.
      { runtime: jobs, kind: 'runtime' },
      { runtime: scheduler, kind: 'runtime' },
      ...checked.runtimes.map((runtime) => ({ runtime, kind: 'runtime' as const })),
      ...checked.extensions.map((runtime) => ({ runtime, kind: 'extension' as const })),
    ];
    for (const { runtime } of runtimes) await runtime.prepare?.({ container });
    const graph = discoverComponents(container, {
      factoryDependencies: compiled.factoryDependencies,
      requestOnly: TASK_REQUEST_ONLY,
    });
    app = new OrdoApp(new ComponentLifecycle(container, graph, runtimes, options), tasks, scheduler.registry);
    return app;
  }
}

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
  return ['bind', 'unbind', 'rebind', 'isBound', 'get', 'getAsync'].every(
    (name) => typeof methods[name] === 'function',
  );
}
