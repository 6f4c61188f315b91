import type { Container, ServiceIdentifier } from 'inversify';
import type { AppEvents } from '../core/index.js';
import type {
  AppState,
  HealthReport,
  HealthServer,
  HealthServerOptions,
  ShutdownHookOptions,
  ShutdownOptions,
  StopReport,
} from '../lifecycle/index.js';
import type { ComponentLifecycle } from '../lifecycle/internal.js';
import type { Schedules } from '../schedule/index.js';
import type { RequestScope, RequestScopeOptions, TaskScope } from '../tasks/index.js';
import type { AppTasks } from '../tasks/internal.js';

/** Settings of an app beyond its shutdown. */
export interface AppOptions extends ShutdownOptions {
  /**
   * The most results the app-wide memo (`@Task({ scope: 'app' })`) keeps, least recently used dropped first. An
   * app lives long, so an unbounded memo keyed on inputs would grow with every distinct input it ever saw.
   * @default 10_000 (`DEFAULT_APP_TASK_ENTRIES`)
   */
  appTaskEntries?: number;
}

/**
 * A running Ordo application: starts its components in dependency order, stops them in reverse, reports health,
 * and opens request scopes. Made by `Ordo.create()`, which validates everything and resolves nothing; `start()`
 * resolves and runs. Abstract so that only `Ordo.create()` makes one, while `App` stays an injectable token
 * (`@inject(App)`).
 */
export abstract class App {
  /** The inversify container holding every binding of the app. */
  abstract readonly container: Container;

  /** Lifecycle events, for logs, metrics and tests. */
  abstract readonly events: AppEvents;

  /** Where the app is in its life. */
  abstract get state(): AppState;

  /** Component names in start order, wave by wave (components of a wave start together). */
  abstract get startOrder(): string[][];

  /** Resolves a service from the container. Resolving before `start()` fixes singletons early (e.g. the Clock). */
  abstract get<T>(id: ServiceIdentifier<T>): T;

  /**
   * Resolves the components and runs their `@OnStart` hooks in dependency order, then starts the runtimes.
   *
   * @throws StartupError naming the component at fault; the components that had started are stopped again.
   * @throws AppStateError when called twice.
   */
  abstract start(): Promise<void>;

  /**
   * Stops the app: readiness turns false, the drain delay passes, runtimes stop and drain, then components stop
   * in reverse start order within the shutdown budget, then runtimes close. Idempotent and single-flight: every call
   * returns the same promise. During `start()`, it aborts the start and stops what had started. Never rejects
   * because a hook failed: the report says what happened.
   */
  abstract stop(reason?: unknown): Promise<StopReport>;

  /**
   * Liveness, readiness and the outcome of every `@HealthCheck`, run concurrently with a timeout each. Checks
   * run only while the app is running; otherwise the app is not ready and no check runs.
   */
  abstract health(): Promise<HealthReport>;

  /**
   * Serves `/livez`, `/readyz` and `/healthz` over HTTP until the app stops (or its start fails).
   *
   * @throws AppStateError (`ORDO_INVALID_STATE`) once the app is stopping, stopped or failed: the server would
   * outlive it.
   */
  abstract listenHealth(options?: HealthServerOptions): Promise<HealthServer>;

  /**
   * On one of `signals`, stops the app and exits with 0, or 1 if the stop was not clean; a second signal
   * during the stop exits with 1 at once. The listeners are removed when the app stops. A signal during
   * `start()` aborts the start and exits once it is rolled back; the start's rejection comes after the exit.
   *
   * @throws AppStateError (`ORDO_INVALID_STATE`) once the app is stopping, stopped or failed: nothing would
   * remove the listeners.
   * @throws ConfigurationError (`ORDO_INVALID_SIGNAL`) naming a signal that is unknown or cannot be caught
   * (`SIGKILL`, `SIGSTOP`); no listener is installed then.
   */
  abstract enableShutdownHooks(signals?: readonly NodeJS.Signals[], options?: ShutdownHookOptions): this;

  /**
   * The app-wide memo of `@Task({ scope: 'app' })` methods, on the app's Clock. Its entries live as long as the
   * app, each for its task's `ttl`, at most `appTaskEntries` of them (least recently used go first). When the
   * app's components have stopped, its runs still going are aborted, its results are dropped, and every later
   * call is refused with `AppStateError` `ORDO_STOPPED`, cached or not.
   */
  abstract get appTasks(): TaskScope;

  /**
   * A new request scope: a {@link TaskScope} plus the async context that carries it. Call `@Task` methods inside
   * `scope.run(...)` to share their results within the request. Cheap: no container is created.
   */
  abstract scope(options?: RequestScopeOptions): RequestScope;

  /** Runs `fn` in a new request scope; shorthand for `app.scope(options).run(fn)`. */
  abstract runInScope<T>(fn: () => T, options?: RequestScopeOptions): T;

  /**
   * The app's schedules (`@Every`, `@Cron`, and those added at run time): list, trigger, pause, resume, add and
   * remove them. They fire from the end of `start()` until `stop()` begins.
   */
  abstract get schedules(): Schedules;
}

/** The one implementation of {@link App}: the component lifecycle, the app's tasks and its schedules, side by side. */
export class OrdoApp extends App {
  readonly container: Container;
  readonly events: AppEvents;
  readonly #life: ComponentLifecycle;
  readonly #tasks: AppTasks;
  readonly #schedules: Schedules;

  constructor(life: ComponentLifecycle, tasks: AppTasks, schedules: Schedules) {
    super();
    this.#life = life;
    this.#tasks = tasks;
    this.#schedules = schedules;
    this.container = life.container;
    this.events = life.events;
  }

  get state(): AppState {
    return this.#life.state;
  }

  get startOrder(): string[][] {
    return this.#life.startOrder;
  }

  get<T>(id: ServiceIdentifier<T>): T {
    return this.container.get<T>(id);
  }

  start(): Promise<void> {
    return this.#life.start();
  }

  stop(reason?: unknown): Promise<StopReport> {
    return this.#life.stop(reason);
  }

  health(): Promise<HealthReport> {
    return this.#life.health();
  }

  listenHealth(options: HealthServerOptions = {}): Promise<HealthServer> {
    return this.#life.listenHealth(options);
  }

  enableShutdownHooks(signals?: readonly NodeJS.Signals[], options?: ShutdownHookOptions): this {
    this.#life.enableShutdownHooks(signals, options);
    return this;
  }

  get appTasks(): TaskScope {
    return this.#tasks.memo;
  }

  scope(options: RequestScopeOptions = {}): RequestScope {
    return this.#tasks.scope(options);
  }

  runInScope<T>(fn: () => T, options: RequestScopeOptions = {}): T {
    return this.#tasks.scope(options).run(fn);
  }

  get schedules(): Schedules {
    return this.#schedules;
  }
}
