import type { Container, ServiceIdentifier } from 'inversify';
import { AppEvents, Logger, type ComponentGraph } from '../core/index.js';
import { RequestScope, TaskScope, type RequestScopeOptions } from '../tasks/index.js';
import { Clock, parseDuration, type Duration } from '../time/index.js';
import { AppStateError, StartupError } from './errors.js';
import type { AppExtension, ExtensionContext } from './extension.js';
import { DEFAULT_HEALTH_TIMEOUT, runProbes, worstStatus, type AppState, type HealthReport, type Probe } from './health.js';
import { serveHealth, type HealthServer, type HealthServerOptions } from './health-server.js';
import { runningComponent, type RunningComponent } from './running-component.js';
import { installShutdownHooks, type ShutdownHookOptions } from './shutdown-hooks.js';
import { startComponents } from './start-components.js';
import { stopComponents } from './stop-components.js';
import type { StopReport } from './stop-report.js';

/** Shutdown settings of an app. */
export interface ShutdownOptions {
  /** Whole shutdown budget; default 30 s. Past it, components not yet stopped are skipped and reported. */
  shutdownTimeout?: Duration;
  /**
   * Pause after readiness turns false and before anything stops, so load balancers stop sending traffic;
   * default 0. Production services usually set a few seconds (their readiness probe period).
   */
  drainDelay?: Duration;
}

/** Default whole shutdown budget. */
export const DEFAULT_SHUTDOWN_TIMEOUT = parseDuration('30s');

/** Default bound of the app-wide memo of `@Task({ scope: 'app' })` results; least recently used go first. */
export const DEFAULT_APP_TASK_ENTRIES = 10_000;

/** Settings of an app beyond its shutdown. */
export interface AppOptions extends ShutdownOptions {
  /**
   * The most results the app-wide memo (`@Task({ scope: 'app' })`) keeps, least recently used dropped first;
   * default {@link DEFAULT_APP_TASK_ENTRIES}. An app lives long, so an unbounded memo keyed on inputs would grow
   * with every distinct input it ever saw.
   */
  appTaskEntries?: number;
}

/**
 * A running Ordo application: starts its components in dependency order, stops them in reverse, reports health.
 * Made by `Ordo.create()`, which validates everything and resolves nothing; `start()` resolves and runs.
 */
export class App {
  /** Lifecycle events, for logs, metrics and tests. */
  readonly events = new AppEvents();
  #state: AppState = 'created';
  #starting?: Promise<void>;
  #stopping?: Promise<StopReport>;
  readonly #startAbort = new AbortController();
  #started: RunningComponent[][] = [];
  /** Extensions whose start completed, in start order: only they are stopped. */
  readonly #startedExtensions: AppExtension[] = [];
  #rollback?: StopReport;
  #context?: ExtensionContext;
  #appTasks?: TaskScope;
  #clock?: Clock;
  readonly #shutdownTimeout: number;
  readonly #drainDelay: number;
  readonly #appTaskEntries: number;
  /** Ends the app-wide memo once the components stopped: its runs are aborted and it refuses new ones. */
  readonly #appTasksAbort = new AbortController();
  readonly #servers = new Set<HealthServer>();
  readonly #stopListeners: Array<() => void> = [];

  constructor(
    /** The inversify container holding every binding of the app. */
    readonly container: Container,
    private readonly graph: ComponentGraph,
    private readonly extensions: readonly AppExtension[] = [],
    options: AppOptions = {},
  ) {
    this.#shutdownTimeout = parseDuration(options.shutdownTimeout ?? DEFAULT_SHUTDOWN_TIMEOUT);
    this.#drainDelay = parseDuration(options.drainDelay ?? 0);
    this.#appTaskEntries = options.appTaskEntries ?? DEFAULT_APP_TASK_ENTRIES;
  }

  /** Where the app is in its life. */
  get state(): AppState {
    return this.#state;
  }

  /** Component names in start order, wave by wave (components of a wave start together). */
  get startOrder(): string[][] {
    return this.graph.waves.map((wave) => wave.map((c) => c.name));
  }

  /** Resolves a service from the container. Resolving before `start()` fixes singletons early (e.g. the Clock). */
  get<T>(id: ServiceIdentifier<T>): T {
    return this.container.get<T>(id);
  }

  /**
   * Resolves the components and runs their `@OnStart` hooks in dependency order, then starts extensions.
   *
   * @throws StartupError naming the component at fault; the components that had started are stopped again.
   * @throws AppStateError when called twice.
   */
  start(): Promise<void> {
    if (this.#state !== 'created') {
      return Promise.reject(new AppStateError('ORDO_INVALID_STATE', `start() was called on an app that is ${this.#state}; an app starts once`));
    }
    this.#state = 'starting';
    this.#starting = this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const context = await this.#resolveContext();
    const began = context.clock.now();
    const waves: RunningComponent[][] = [];
    for (const wave of this.graph.waves) {
      const resolved: RunningComponent[] = [];
      for (const component of wave) {
        try {
          resolved.push(runningComponent(component, (await this.container.getAsync(component.id)) as object));
        } catch (cause) {
          throw await this.#failBeforeStart(
            `Component "${component.name}" could not be created: ${messageOf(cause)}`,
            component.name,
            cause,
          );
        }
      }
      waves.push(resolved);
    }

    const failure = await startComponents(waves, this.#started, this.#startAbort.signal, context);
    let extensionFailure: { name: string; error: unknown } | undefined;
    if (!failure) {
      for (const extension of this.extensions) {
        try {
          await extension.start?.(context, this.#startAbort.signal);
          this.#startedExtensions.push(extension);
        } catch (error) {
          extensionFailure = { name: extension.name, error };
          break;
        }
      }
    }
    if (failure || extensionFailure || this.#startAbort.signal.aborted) {
      // Readiness never turned true, so there is no traffic to drain: the rollback skips the drain delay.
      const reason = failure?.error ?? extensionFailure?.error ?? this.#startAbort.signal.reason;
      const rollback = await this.#shutdown(context, reason, { drain: false });
      this.#rollback = rollback;
      this.#state = this.#stopping ? 'stopped' : 'failed';
      if (!this.#stopping) await this.#finish(rollback);
      if (failure && !failure.aborted) {
        throw new StartupError(
          'ORDO_START_FAILED',
          `Component "${failure.component}" failed to start: ${messageOf(failure.error)}`,
          failure.component,
          rollback,
          { cause: failure.error },
        );
      }
      if (extensionFailure && !this.#startAbort.signal.aborted) {
        throw new StartupError(
          'ORDO_START_FAILED',
          `${extensionFailure.name} failed to start: ${messageOf(extensionFailure.error)}`,
          undefined,
          rollback,
          { cause: extensionFailure.error },
        );
      }
      throw new StartupError('ORDO_START_ABORTED', `start() was aborted by stop(): ${messageOf(this.#startAbort.signal.reason)}`, undefined, rollback, {
        cause: this.#startAbort.signal.reason,
      });
    }
    this.#state = 'running';
    const durationMs = context.clock.now() - began;
    this.events.emit('app:started', { durationMs });
    context.logger.info({ durationMs, components: this.graph.components.length }, 'app started');
  }

  /**
   * Stops the app: readiness turns false, the drain delay passes, extensions stop and drain, then components stop
   * in reverse start order within the shutdown budget. Idempotent and single-flight: every call returns the same
   * promise. During `start()`, it aborts the start and stops what had started. Never rejects because a hook
   * failed: the report says what happened.
   */
  stop(reason?: unknown): Promise<StopReport> {
    this.#stopping ??= this.#stop(reason);
    return this.#stopping;
  }

  async #stop(reason: unknown): Promise<StopReport> {
    this.events.emit('app:stopping', { reason });
    const state = this.#state;
    if (state === 'starting') {
      this.#state = 'stopping';
      this.#startAbort.abort(reason ?? new AppStateError('ORDO_STOPPED', 'stop() was called during start()'));
      await this.#starting!.catch(() => undefined);
      this.#state = 'stopped';
      return this.#finish(this.#rollback ?? emptyReport(reason, 0));
    }
    if (state !== 'running') {
      this.#state = 'stopped';
      return this.#finish(this.#rollback ? { ...this.#rollback, reason } : emptyReport(reason, 0));
    }
    this.#state = 'stopping';
    const report = await this.#shutdown(this.#context!, reason);
    this.#state = 'stopped';
    return this.#finish(report);
  }

  /**
   * Fails a start before any hook ran (the app's services or a component could not be resolved): nothing is
   * rolled back, and what the app holds (signal listeners, health servers) is released.
   */
  async #failBeforeStart(message: string, component: string | undefined, cause: unknown): Promise<StartupError> {
    this.#state = 'failed';
    const report = emptyReport('start failed', 0);
    if (!this.#stopping) await this.#finish(report);
    return new StartupError('ORDO_RESOLVE_FAILED', message, component, report, { cause });
  }

  async #shutdown(context: ExtensionContext, reason: unknown, { drain = true } = {}): Promise<StopReport> {
    const { clock, logger } = context;
    const began = clock.now();
    const deadline = began + this.#shutdownTimeout;
    logger.info({ reason: messageOf(reason) }, 'app stopping');
    if (drain && this.#drainDelay > 0) await clock.sleep(this.#drainDelay);
    const problems: Array<{ source: string; error: unknown }> = [];
    for (const extension of [...this.#startedExtensions].reverse()) {
      try {
        for (const problem of (await extension.stop?.(context, deadline)) ?? []) problems.push({ source: extension.name, ...problem });
      } catch (error) {
        problems.push({ source: extension.name, error });
        logger.error({ extension: extension.name, err: error }, 'extension failed to stop');
      }
    }
    const outcome = await stopComponents(this.#started, deadline, context);
    const durationMs = clock.now() - began;
    const ok = outcome.failed.length === 0 && outcome.skipped.length === 0 && problems.length === 0;
    this.events.emit('app:stopped', { durationMs, ok });
    logger.info({ durationMs, ok }, 'app stopped');
    return { ok, reason, ...outcome, problems, durationMs };
  }

  async #finish(report: StopReport): Promise<StopReport> {
    // Requests were served by components until they stopped; app-wide runs still going now serve no one.
    this.#appTasksAbort.abort(new AppStateError('ORDO_STOPPED', 'the app stopped'));
    const servers = [...this.#servers];
    this.#servers.clear();
    await Promise.all(servers.map((server) => server.close()));
    for (const remove of this.#stopListeners.splice(0)) remove();
    return report;
  }

  /**
   * Liveness, readiness and the outcome of every `@HealthCheck`, run concurrently with a timeout each. Checks
   * run only while the app is running; otherwise the app is not ready and no check runs.
   */
  async health(): Promise<HealthReport> {
    const state = this.#state;
    const live = state !== 'failed';
    if (state !== 'running' || !this.#context) {
      return { status: 'down', live, ready: false, state, checks: {} };
    }
    const probes: Probe[] = [];
    for (const component of this.#started.flat()) {
      const check = component.hook('health');
      if (!check) continue;
      probes.push({
        name: component.name,
        timeout: parseDuration(component.healthOptions.timeout ?? DEFAULT_HEALTH_TIMEOUT),
        check: check as Probe['check'],
      });
    }
    const checks = await runProbes(this.#context.clock, probes);
    const status = worstStatus(Object.values(checks));
    const ready = this.#state === 'running' && status !== 'down';
    return { status, live, ready, state: this.#state, checks };
  }

  /**
   * The app-wide memo of `@Task({ scope: 'app' })` methods, on the app's Clock. Its entries live as long as the
   * app, each for its task's `ttl`, at most `appTaskEntries` of them (least recently used go first). When the
   * app's components have stopped, its runs still going are aborted, its results are dropped, and every later
   * call is refused with `AppStateError` `ORDO_STOPPED`, cached or not.
   */
  get appTasks(): TaskScope {
    this.#appTasks ??= new TaskScope({
      clock: this.#scopeClock(),
      maxEntries: this.#appTaskEntries,
      signal: this.#appTasksAbort.signal,
      keepResultsOnAbort: false,
    });
    return this.#appTasks;
  }

  /**
   * A new request scope: a {@link TaskScope} plus the async context that carries it. Call `@Task` methods inside
   * `scope.run(...)` to share their results within the request. Cheap: no container is created.
   */
  scope(options: RequestScopeOptions = {}): RequestScope {
    // Fields listed rather than spread: on Node 20 spreading options and adding fields makes a new hidden class
    // per call (microseconds per request once a `{ signal }` was seen).
    return new RequestScope({
      signal: options.signal,
      ttl: options.ttl,
      maxEntries: options.maxEntries,
      clock: this.#scopeClock(),
      appScope: this.appTasks,
    });
  }

  /** The Clock for task scopes, resolved once: a container lookup per request would cost more than the scope. */
  #scopeClock(): Clock {
    this.#clock ??= this.#context?.clock ?? this.container.get(Clock);
    return this.#clock;
  }

  /** Runs `fn` in a new request scope; shorthand for `app.scope(options).run(fn)`. */
  runInScope<T>(fn: () => T, options: RequestScopeOptions = {}): T {
    return this.scope(options).run(fn);
  }

  /**
   * Serves `/livez`, `/readyz` and `/healthz` over HTTP until the app stops (or its start fails).
   *
   * @throws AppStateError (`ORDO_INVALID_STATE`) once the app is stopping, stopped or failed: the server would
   * outlive it.
   */
  async listenHealth(options: HealthServerOptions = {}): Promise<HealthServer> {
    if (this.#stopping || this.#state === 'failed') {
      throw new AppStateError('ORDO_INVALID_STATE', `listenHealth() was called on an app that is ${this.#state}; call it before stop()`);
    }
    const server = await serveHealth(() => this.health(), options);
    this.#servers.add(server);
    return server;
  }

  /**
   * On one of `signals`, stops the app and exits with 0, or 1 if the stop was not clean; a second signal
   * during the stop exits with 1 at once. The listeners are removed when the app stops.
   */
  enableShutdownHooks(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'], options: ShutdownHookOptions = {}): this {
    this.#stopListeners.push(installShutdownHooks(this, signals, options));
    return this;
  }

  async #resolveContext(): Promise<ExtensionContext> {
    if (this.#context) return this.#context;
    const clock = await this.#resolveService(Clock, 'Clock');
    const logger = await this.#resolveService(Logger, 'Logger');
    // A throwing listener must not fail a boot or a shutdown: it is logged, and the other listeners still run.
    this.events.onListenerError = (event, error) => logger.error({ event, err: error }, 'an app.events listener threw');
    this.#context = { container: this.container, clock, logger, events: this.events };
    return this.#context;
  }

  async #resolveService<T>(id: ServiceIdentifier<T>, name: string): Promise<T> {
    try {
      return await this.container.getAsync(id);
    } catch (cause) {
      throw await this.#failBeforeStart(`The app's ${name} could not be resolved: ${messageOf(cause)}`, undefined, cause);
    }
  }
}

function emptyReport(reason: unknown, durationMs: number): StopReport {
  return { ok: true, reason, stopped: [], failed: [], skipped: [], problems: [], durationMs };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
