import type { Container, ServiceIdentifier } from 'inversify';
import { messageOf } from '../errors/index.js';
import { AppEvents, Logger, type RuntimeContext, type RuntimeProblem, type Runtime } from '../core/index.js';
import type { ComponentGraph } from '../core/internal.js';
import { Clock, parseDuration, type Duration } from '../time/index.js';
import { isThenable } from '../time/internal.js';
import { AppStateError, StartupError } from './errors.js';
import { GuardedLogger } from './guarded-logger.js';
import {
  DEFAULT_HEALTH_TIMEOUT,
  runProbes,
  worstStatus,
  type AppState,
  type HealthReport,
  type Probe,
} from './health.js';
import type { HealthServer, HealthServerOptions } from './health-server.js';
import { runningComponent, type RunningComponent } from './running-component.js';
import { installShutdownHooks, type ShutdownHookOptions } from './shutdown-hooks.js';
import { startComponents, type StartFailure } from './start-components.js';
import {
  emptyOutcome,
  STOP_FLOOR_MS,
  stopComponent,
  stopComponents,
  type ComponentStopOutcome,
} from './stop-components.js';
import type { AbandonedWork, StopReport } from './stop-report.js';
import { CUT_OFF, Cutoff } from './with-deadline.js';

/** Shutdown settings of an app. */
export interface ShutdownOptions {
  /**
   * Whole shutdown budget, from the `stop()` call. Every wait of the stop ends by it; past it, components not yet
   * stopped are skipped and what never settled is reported as abandoned.
   * @default '30s'
   * @example { shutdownTimeout: '10s' }
   */
  shutdownTimeout?: Duration;
  /**
   * Pause after readiness turns false and before anything stops, so load balancers stop sending traffic.
   * Production services usually set their readiness probe period.
   * @default 0
   * @example { drainDelay: '5s' }
   */
  drainDelay?: Duration;
}

/** Default whole shutdown budget. */
export const DEFAULT_SHUTDOWN_TIMEOUT = parseDuration('30s');

/** A runtime as the lifecycle runs it: the contract, and what logs and reports call it. */
export interface RuntimeEntry {
  readonly runtime: Runtime;
  /** `'extension'` for a runtime given through the deprecated `extensions` option, as reports always called those. */
  readonly kind: 'runtime' | 'extension';
}

/**
 * The life of an app's components and runtimes, with nothing of any one capability in it: the state machine, start
 * waves with their timeouts, the rollback of a failed start, the shutdown budget, and health. Runtimes start after
 * every component started, stop before any component stops, and close once the components stopped.
 */
export class ComponentLifecycle {
  /** Lifecycle events, for logs, metrics and tests. */
  readonly events = new AppEvents();
  #state: AppState = 'created';
  #starting?: Promise<void>;
  #stopping?: Promise<StopReport>;
  readonly #startAbort = new AbortController();
  #started: RunningComponent[][] = [];
  /** Runtimes whose start completed, in start order: only they are stopped. */
  readonly #startedRuntimes: RuntimeEntry[] = [];
  #rollback?: StopReport;
  #context?: RuntimeContext;
  readonly #shutdownTimeout: number;
  readonly #drainDelay: number;
  #closed = false;
  readonly #graph: ComponentGraph;
  readonly #runtimes: readonly RuntimeEntry[];
  readonly #servers = new Set<HealthServer>();
  readonly #stopListeners: Array<() => void> = [];
  /** The end of the shutdown budget, set by `stop()` or by the rollback of a failed start, whichever comes first. */
  readonly #cutoff = new Cutoff();
  /**
   * When a stop during `start()` gives up waiting for the start to wind down (a factory, a start hook, a
   * runtime's start): earlier than the budget's end, so that the components already started get their share.
   */
  readonly #windDownCutoff = new Cutoff();
  /** The app's Clock as soon as `start()` resolved it, before the rest of the context: a stop's budget needs it. */
  #startClock?: Clock;
  /** When the stop began on the app's Clock, once its budget is set. */
  #stopBegan?: number;
  #stoppingLogged = false;
  /** What the stop gave up waiting for at the budget: it goes into every report from then on. */
  readonly #abandoned: AbandonedWork[] = [];
  /** The shutdown under way, if any: a component that starts late is stopped within it, and reported by it. */
  #shutdownUnderWay?: { deadline: number; outcome: ComponentStopOutcome; pending: Array<Promise<void>> };
  /** Set once the app has released what it holds: nothing may be added to it any more. */
  #ended = false;

  /**
   * @param container the inversify container holding every binding of the app.
   * @param graph the components discovery found, in start waves.
   * @param runtimes the prepared runtimes, in start order.
   */
  constructor(
    readonly container: Container,
    graph: ComponentGraph,
    runtimes: readonly RuntimeEntry[],
    options: ShutdownOptions = {},
  ) {
    this.#graph = graph;
    this.#runtimes = runtimes;
    this.#shutdownTimeout = parseDuration(options.shutdownTimeout ?? DEFAULT_SHUTDOWN_TIMEOUT);
    this.#drainDelay = parseDuration(options.drainDelay ?? 0);
  }

  /** Where the app is in its life. */
  get state(): AppState {
    return this.#state;
  }

  /** Component names in start order, wave by wave (components of a wave start together). */
  get startOrder(): string[][] {
    return this.#graph.waves.map((wave) => wave.map((c) => c.name));
  }

  /**
   * Resolves the components and runs their `@OnStart` hooks in dependency order, then starts the runtimes.
   *
   * @throws StartupError naming the component at fault; the components that had started are stopped again.
   * @throws AppStateError when called twice.
   */
  start(): Promise<void> {
    if (this.#state !== 'created') {
      return Promise.reject(
        new AppStateError(
          'ORDO_INVALID_STATE',
          `start() was called on an app that is ${this.#state}; an app starts once`,
        ),
      );
    }
    this.#state = 'starting';
    this.#starting = this.#start();
    // A start aborted by stop() rejects only once stop() resolved. A shutdown hook attached its exit to the stop's
    // promise when the signal came, so the exit runs first and a program's top-level `await app.start()` does not
    // end it with an unhandled ORDO_START_ABORTED after a clean rollback.
    return this.#starting.catch(async (error: unknown) => {
      if (this.#stopping) await this.#stopping;
      throw error;
    });
  }

  async #start(): Promise<void> {
    const context = await this.#resolveContext();
    const signal = this.#startAbort.signal;
    const began = context.clock.now();
    const waves: RunningComponent[][] = [];
    // Nothing is started while resolving, so a stop() meanwhile only has to stop resolving: further factories would
    // be waited on for nothing.
    let failure = await this.#resolveComponents(waves);
    failure ??= await startComponents(waves, this.#started, signal, {
      ...context,
      cutoff: this.#windDownCutoff,
      onLateStart: (component) => this.#stopLateStart(component),
    });
    for (const name of failure?.abandoned ?? []) this.#abandoned.push({ kind: 'component', name, phase: 'start' });
    let runtimeFailure: { name: string; error: unknown } | undefined;
    if (!failure) {
      for (const entry of this.#runtimes) {
        if (signal.aborted) break;
        const { runtime, kind } = entry;
        if (!runtime.start) {
          this.#startedRuntimes.push(entry);
          continue;
        }
        try {
          const starting = new Promise<void>((run) => run(runtime.start!(context, signal)));
          const outcome = await this.#windDownCutoff.race(starting);
          if (outcome === CUT_OFF) {
            this.#abandoned.push({ kind, name: runtime.name, phase: 'start' });
            context.logger.warn({ [kind]: runtime.name }, `${kind} start abandoned: the shutdown budget was spent`);
            starting.then(
              () => this.#stopLateRuntime(entry, context),
              () => undefined,
            );
            break;
          }
          this.#startedRuntimes.push(entry);
        } catch (error) {
          runtimeFailure = { name: runtime.name, error };
          break;
        }
      }
    }
    if (failure || runtimeFailure || signal.aborted) {
      // Readiness never turned true, so there is no traffic to drain: the rollback skips the drain delay.
      const reason = failure?.error ?? runtimeFailure?.error ?? signal.reason;
      const failedStart =
        (failure !== undefined && !failure.aborted) || (runtimeFailure !== undefined && !signal.aborted);
      let rollback = await this.#shutdown(context, reason, { drain: false, failedStart });
      this.#rollback = rollback;
      this.#state = this.#stopping ? 'stopped' : 'failed';
      if (!this.#stopping) this.#rollback = rollback = await this.#finish(rollback);
      if (failure && !failure.aborted) {
        throw new StartupError(
          'ORDO_START_FAILED',
          `Component "${failure.component}" failed to start: ${messageOf(failure.error)}`,
          failure.component,
          rollback,
          { cause: failure.error },
        );
      }
      if (runtimeFailure && !signal.aborted) {
        throw new StartupError(
          'ORDO_START_FAILED',
          `${runtimeFailure.name} failed to start: ${messageOf(runtimeFailure.error)}`,
          undefined,
          rollback,
          { cause: runtimeFailure.error },
        );
      }
      throw abortedError(signal.reason, rollback);
    }
    this.#state = 'running';
    const durationMs = context.clock.now() - began;
    this.events.emit('app:started', { durationMs });
    context.logger.info({ durationMs, components: this.#graph.components.length }, 'app started');
  }

  /**
   * Resolves the components wave by wave into `waves`. Returns an aborted failure when stop() came meanwhile, and
   * gives up on a factory that has not settled when the shutdown budget ends.
   *
   * @throws StartupError (`ORDO_RESOLVE_FAILED`) naming the component that could not be created.
   */
  async #resolveComponents(waves: RunningComponent[][]): Promise<StartFailure | undefined> {
    const signal = this.#startAbort.signal;
    for (const wave of this.#graph.waves) {
      const resolved: RunningComponent[] = [];
      for (const component of wave) {
        if (signal.aborted) return { error: signal.reason, aborted: true };
        let instance: unknown;
        try {
          instance = await this.#windDownCutoff.race(this.container.getAsync(component.id));
        } catch (cause) {
          throw await this.#failBeforeStart(
            `Component "${component.name}" could not be created: ${messageOf(cause)}`,
            component.name,
            cause,
          );
        }
        if (instance === CUT_OFF) {
          this.#abandoned.push({ kind: 'component', name: component.name, phase: 'resolve' });
          this.#context!.logger.warn(
            { component: component.name },
            'component resolution abandoned: the shutdown budget was spent',
          );
          return { error: signal.reason, aborted: true };
        }
        resolved.push(runningComponent(component, instance as object));
      }
      waves.push(resolved);
    }
    return undefined;
  }

  /**
   * Stops the app: readiness turns false, the drain delay passes, ingress components (HTTP servers) stop, runtimes
   * stop and drain, then the other components stop in reverse start order, all within the shutdown budget. Idempotent and single-flight: every call returns the same
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
      // The budget starts now; before the Clock is resolved there is nothing to measure it with, and the start
      // sets it as soon as the Clock is there. Every wait of the start is raced against it from now on.
      if (this.#startClock) this.#beginStopDuringStart(this.#startClock);
      if (this.#context) {
        this.#stoppingLogged = true;
        this.#context.logger.info(reason === undefined ? {} : { reason: messageOf(reason) }, 'app stopping');
      }
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
   * Sets the budget of a stop that came during `start()`. Waiting for the start to wind down gets the share of the
   * budget one wave of stop hooks gets (see stopComponents): it is one more thing to wait for before the waves
   * already started can stop, and a start hook that ignores its abort must not leave them no time at all.
   */
  #beginStopDuringStart(clock: Clock): void {
    const now = clock.now();
    this.#stopBegan = now;
    this.#cutoff.at(clock, now + this.#shutdownTimeout);
    const wavesToStop = this.#started.filter((wave) => wave.some((component) => component.hook('stop'))).length;
    const windDown = Math.min(
      this.#shutdownTimeout,
      Math.max(STOP_FLOOR_MS, Math.floor(this.#shutdownTimeout / (wavesToStop + 1))),
    );
    this.#windDownCutoff.at(clock, now + windDown);
  }

  /**
   * Fails a start before any hook ran (the app's services or a component could not be resolved): nothing is
   * rolled back, and what the app holds (signal listeners, health servers) is released.
   */
  async #failBeforeStart(message: string, component: string | undefined, cause: unknown): Promise<StartupError> {
    this.#state = 'failed';
    let report = emptyReport('start failed', 0);
    if (!this.#stopping) report = await this.#finish(report);
    return new StartupError('ORDO_RESOLVE_FAILED', message, component, report, { cause });
  }

  async #shutdown(
    context: RuntimeContext,
    reason: unknown,
    { drain = true, failedStart = false }: { drain?: boolean; failedStart?: boolean } = {},
  ): Promise<StopReport> {
    const { clock, logger } = context;
    const began = this.#stopBegan ?? clock.now();
    const deadline = this.#cutoff.at(clock, began + this.#shutdownTimeout);
    if (!this.#stoppingLogged) logger.info(reason === undefined ? {} : { reason: messageOf(reason) }, 'app stopping');
    this.#stoppingLogged = true;
    const late = {
      deadline,
      outcome: emptyOutcome(),
      pending: [] as Array<Promise<void>>,
    };
    this.#shutdownUnderWay = late;
    const drainFor = Math.min(this.#drainDelay, deadline - clock.now());
    if (drain && drainFor > 0) await clock.sleep(drainFor);
    // Ingress components (HTTP servers, consumers) stop taking work first: what their last requests hand to
    // Background must still be accepted, and the runtimes' drain that follows drains it.
    const [ingress, others] = partitionIngress(this.#started);
    if (ingress.length > 0) await stopComponents(ingress, deadline, context, late.outcome);
    const problems: Array<{ source: string; error: unknown }> = [];
    for (const { runtime, kind } of [...this.#startedRuntimes].reverse()) {
      if (!runtime.stop) continue;
      try {
        const outcome = await this.#cutoff.race(
          new Promise<readonly RuntimeProblem[] | void>((run) => run(runtime.stop!(context, deadline))),
        );
        if (outcome === CUT_OFF) {
          this.#abandoned.push({ kind, name: runtime.name, phase: 'stop' });
          logger.warn({ [kind]: runtime.name }, `${kind} stop abandoned: the shutdown budget was spent`);
          continue;
        }
        for (const problem of outcome ?? []) problems.push({ source: runtime.name, ...problem });
      } catch (error) {
        problems.push({ source: runtime.name, error });
        logger.error({ [kind]: runtime.name, err: error }, `${kind} failed to stop`);
      }
    }
    const outcome = await stopComponents(others, deadline, context, late.outcome);
    // Components that started late while this stop ran are stopped within its budget, each bounded by it.
    while (late.pending.length > 0) await Promise.all(late.pending.splice(0));
    this.#shutdownUnderWay = undefined;
    const abandoned = [...this.#abandoned];
    const durationMs = clock.now() - began;
    const ok =
      outcome.failed.length === 0 && outcome.skipped.length === 0 && problems.length === 0 && abandoned.length === 0;
    // The event and the log speak of the app: after a failed start it did not end well, however clean the rollback.
    this.events.emit('app:stopped', { durationMs, ok: ok && !failedStart });
    logger.info({ durationMs, ok: ok && !failedStart }, 'app stopped');
    return { ok, reason, ...outcome, problems, abandoned, durationMs };
  }

  /**
   * Stops a component whose `@OnStart` completed after the start stopped waiting for it: within the shutdown under
   * way (never past its budget, and reported by it), or, once the app has stopped, within its own stop timeout.
   */
  #stopLateStart(component: RunningComponent): void {
    const context = this.#context!;
    const shutdown = this.#shutdownUnderWay;
    const remaining = shutdown ? shutdown.deadline - context.clock.now() : 0;
    context.logger.warn(
      { component: component.name },
      'component started after its start timed out or was abandoned; stopping it so that nothing it opened outlives the app',
    );
    if (shutdown && remaining > 0) {
      shutdown.pending.push(
        stopComponent(component, Math.min(component.stopTimeout, remaining), shutdown.outcome, context),
      );
    } else {
      void stopComponent(component, component.stopTimeout, emptyOutcome(), context);
    }
  }

  /**
   * Stops a runtime whose start completed after the stop gave up on it, as a late component is stopped: it is
   * given a whole budget from now as its deadline, and nothing waits for it.
   */
  #stopLateRuntime({ runtime, kind }: RuntimeEntry, context: RuntimeContext): void {
    context.logger.warn({ [kind]: runtime.name }, `${kind} started after its start was abandoned; stopping it`);
    new Promise((run) => run(runtime.stop?.(context, context.clock.now() + this.#shutdownTimeout))).catch(
      (error: unknown) => context.logger.error({ [kind]: runtime.name, err: error }, `${kind} failed to stop`),
    );
  }

  /** Releases what the app holds once its components stopped or its start failed: runtimes close, servers close. */
  async #finish(report: StopReport): Promise<StopReport> {
    this.#ended = true;
    const closed = await this.#closeRuntimes(report);
    const servers = [...this.#servers];
    this.#servers.clear();
    await Promise.all(servers.map((server) => server.close()));
    for (const remove of this.#stopListeners.splice(0)) remove();
    return closed;
  }

  /**
   * Closes every runtime, last first, once: each close is bounded by the shutdown budget, and one that throws or is
   * given up on is added to the report.
   */
  async #closeRuntimes(report: StopReport): Promise<StopReport> {
    if (this.#closed) return report;
    this.#closed = true;
    const problems: Array<{ source: string; error: unknown }> = [];
    const abandoned: AbandonedWork[] = [];
    const logger = this.#context?.logger;
    for (const { runtime, kind } of [...this.#runtimes].reverse()) {
      if (!runtime.close) continue;
      try {
        // A close that releases at once is not raced: past the deadline, the race would give up on it unseen.
        const closing = runtime.close();
        if (!isThenable(closing)) continue;
        const outcome = await this.#cutoff.race(Promise.resolve(closing));
        if (outcome === CUT_OFF) {
          abandoned.push({ kind, name: runtime.name, phase: 'close' });
          logger?.warn({ [kind]: runtime.name }, `${kind} close abandoned: the shutdown budget was spent`);
        }
      } catch (error) {
        problems.push({ source: runtime.name, error });
        logger?.error({ [kind]: runtime.name, err: error }, `${kind} failed to close`);
      }
    }
    if (problems.length === 0 && abandoned.length === 0) return report;
    this.#abandoned.push(...abandoned);
    return {
      ...report,
      ok: false,
      problems: [...report.problems, ...problems],
      abandoned: [...report.abandoned, ...abandoned],
    };
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
   * Serves `/livez`, `/readyz` and `/healthz` over HTTP until the app stops (or its start fails).
   *
   * @throws AppStateError (`ORDO_INVALID_STATE`) once the app is stopping, stopped or failed: the server would
   * outlive it.
   */
  async listenHealth(options: HealthServerOptions = {}): Promise<HealthServer> {
    if (this.#stopping || this.#state === 'failed') {
      throw new AppStateError(
        'ORDO_INVALID_STATE',
        `listenHealth() was called on an app that is ${this.#state}; call it before stop()`,
      );
    }
    // Loaded on first use, so that an app that serves no health over HTTP never loads node:http.
    const { serveHealth } = await import('./health-server.js');
    const server = await serveHealth(() => this.health(), options);
    if (this.#ended) {
      // The app stopped, or its start failed, while the port was being bound: nothing would close the server.
      await server.close();
      throw new AppStateError(
        'ORDO_INVALID_STATE',
        `listenHealth() was called on an app that is ${this.#state} by the time its server listened; call it before stop()`,
      );
    }
    this.#servers.add(server);
    return server;
  }

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
  enableShutdownHooks(
    signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
    options: ShutdownHookOptions = {},
  ): this {
    if (this.#stopping || this.#ended || this.#state === 'failed') {
      throw new AppStateError(
        'ORDO_INVALID_STATE',
        `enableShutdownHooks() was called on an app that is ${this.#state}; call it before start() or stop()`,
      );
    }
    this.#stopListeners.push(installShutdownHooks(this, signals, options));
    return this;
  }

  async #resolveContext(): Promise<RuntimeContext> {
    if (this.#context) return this.#context;
    // The budget is measured on the Clock, so nothing can give up on resolving the Clock itself.
    const clock = (await this.#resolveService(Clock, 'Clock')) as Clock;
    this.#startClock = clock;
    if (this.#stopping) this.#beginStopDuringStart(clock);
    const resolved = await this.#resolveService(Logger, 'Logger');
    if (resolved === CUT_OFF) {
      this.#abandoned.push({ kind: 'service', name: 'Logger', phase: 'resolve' });
      const report = { ...emptyReport(this.#startAbort.signal.reason, 0), ok: false, abandoned: [...this.#abandoned] };
      this.#rollback = report;
      throw abortedError(this.#startAbort.signal.reason, report);
    }
    // A throwing logger must not fail a boot or a shutdown either, nor leave the app half started.
    const logger = new GuardedLogger(resolved);
    // A throwing listener must not fail a boot or a shutdown: it is logged, and the other listeners still run.
    this.events.onListenerError = (event, error) => logger.error({ event, err: error }, 'an app.events listener threw');
    this.#context = { container: this.container, clock, logger, events: this.events };
    return this.#context;
  }

  /**
   * Resolves one of the app's services, given up on (only the resolution, not the factory) once a stop during
   * `start()` stops waiting: a failure that comes after that is no longer the start's to report.
   */
  async #resolveService<T>(id: ServiceIdentifier<T>, name: string): Promise<T | typeof CUT_OFF> {
    try {
      return await this.#windDownCutoff.race(this.container.getAsync(id));
    } catch (cause) {
      throw await this.#failBeforeStart(
        `The app's ${name} could not be resolved: ${messageOf(cause)}`,
        undefined,
        cause,
      );
    }
  }
}

/** The started waves split in two: the ingress components of each wave, and the others; empty waves are left out. */
type Waves = readonly (readonly RunningComponent[])[];

function partitionIngress(waves: Waves): [Waves, Waves] {
  if (!waves.some((wave) => wave.some((component) => component.ingress))) return [[], waves];
  const ingress = waves.map((wave) => wave.filter((component) => component.ingress)).filter((wave) => wave.length > 0);
  const others = waves.map((wave) => wave.filter((component) => !component.ingress)).filter((wave) => wave.length > 0);
  return [ingress, others];
}

function emptyReport(reason: unknown, durationMs: number): StopReport {
  return {
    ok: true,
    reason,
    stopped: [],
    details: {},
    failed: [],
    skipped: [],
    problems: [],
    abandoned: [],
    durationMs,
  };
}

function abortedError(reason: unknown, rollback: StopReport): StartupError {
  return new StartupError(
    'ORDO_START_ABORTED',
    `start() was aborted by stop(): ${messageOf(reason)}`,
    undefined,
    rollback,
    { cause: reason },
  );
}
