import type { Container } from 'inversify';
import {
  ConfigurationError,
  Logger,
  type AppEvents,
  type Runtime,
  type RuntimeContext,
  type RuntimePreparation,
  type RuntimeProblem,
} from '../core/index.js';
import type { ClusterSchedules } from '../core/internal.js';
import { Clock } from '../time/index.js';
import { ClusterTicks } from './cluster-ticks.js';
import { runAttempt, type ResolvedHandler } from './attempt-runner.js';
import type { RandomSource } from './backoff.js';
import { loadEngine, type EngineImporter } from './engine-loader.js';
import { checkEnqueueOptions } from './enqueue-checks.js';
import { discoverJobs, type DiscoveredJob } from './job-discovery.js';
import { JobError } from './job-errors.js';
import type { EnqueueOptions, JobId } from './job-types.js';
import type { ClaimedJob, JobQueueSpec, JobsBackend } from './jobs-backend.js';
import { JobsClient, type JobsAccess } from './jobs-client.js';
import { checkJobsOptions, type CheckedJobsOptions } from './jobs-options-check.js';
import { Jobs } from './jobs.js';
import { encodePayload } from './payload.js';

/** How many known names an unknown-name error lists. */
const KNOWN_NAMES_SHOWN = 20;

/** What {@link JobsRuntime} is built from. */
export interface JobsRuntimeOptions {
  /** The `jobs` option of `Ordo.create()`, checked; checked here when left out. */
  readonly options?: CheckedJobsOptions;
  /** Imports an engine's module: the seam tests use to simulate a missing package. */
  readonly importEngine?: EngineImporter;
  /** The jitter of the backoff, `Math.random` unless a test pins it. */
  readonly random?: RandomSource;
}

type RuntimeState = 'idle' | 'working' | 'stopped' | 'closed';

/**
 * The app's durable jobs, as a runtime. `prepare` (at `Ordo.create()`) discovers and checks the `@Job` methods, binds
 * {@link Jobs} and, when the app declares a `@Job`, loads the engine's module (so a missing package fails
 * `create()`) and builds the engine, opening nothing; the scheduler's cluster schedules, declared through
 * {@link JobsRuntime.cluster} right after, load it too. The store opens on first use (an `@OnStart` may enqueue) or at
 * `start`, whichever comes first. `start` resolves the handlers' instances and starts the workers; `stop` drains them
 * until half the time left before the deadline (then their signals abort and their jobs go back to the queue) and
 * reports the handlers that ignored their abort; `close` closes the store.
 */
export class JobsRuntime implements Runtime {
  readonly name = 'jobs';
  /** The verbs users call, bound as `Jobs`. */
  readonly client: Jobs;
  /** The side of cluster-once schedules the composition root hands the scheduler. */
  readonly cluster: ClusterSchedules;
  readonly #ticks: ClusterTicks;
  readonly #options: CheckedJobsOptions;
  readonly #importEngine: EngineImporter | undefined;
  readonly #random: RandomSource | undefined;
  readonly #jobs = new Map<string, DiscoveredJob>();
  readonly #handlers = new Map<string, ResolvedHandler>();
  #backend?: JobsBackend;
  #opening?: Promise<JobsBackend>;
  #state: RuntimeState = 'idle';
  #container?: Container;
  #clock?: Clock;
  #logger?: Logger;
  #events?: AppEvents;

  constructor(options: JobsRuntimeOptions = {}) {
    this.#options = options.options ?? checkJobsOptions(undefined);
    this.#importEngine = options.importEngine;
    this.#random = options.random;
    const access: JobsAccess = {
      enqueue: (name, payload, enqueueOptions) => this.#enqueue(name, payload, enqueueOptions),
      withStore: (verb, use, none) => this.#withStore(verb, use, none),
    };
    this.client = new JobsClient(access);
    this.#ticks = new ClusterTicks({
      load: () => this.#load(),
      open: () => this.#open(),
      isJob: (name) => this.#jobs.has(name),
      clock: () => this.#clockNow(),
    });
    this.cluster = this.#ticks;
  }

  /** Finds and checks every `@Job`, binds `Jobs`, and loads and builds the engine when there is a job to run. */
  async prepare({ container }: RuntimePreparation): Promise<void> {
    this.#container = container;
    const onInvalidBackoff = (error: unknown): void =>
      this.#loggerNow()?.warn({ err: error }, 'job backoff function failed; the default backoff applies');
    for (const found of discoverJobs(container, this.#random, onInvalidBackoff)) this.#jobs.set(found.job.name, found);
    if (!container.isBound(Jobs)) container.bind(Jobs).toConstantValue(this.client);
    if (this.#options.engine === 'custom') this.#backend = this.#options.backend;
    else if (this.#jobs.size > 0) await this.#load();
  }

  /** Loads and builds the engine once: for the app's `@Job`s, or for its cluster schedules' ticks. */
  async #load(): Promise<JobsBackend> {
    if (this.#backend !== undefined) return this.#backend;
    const options = this.#options as CheckedJobsOptions & { engine: 'sqlite' | 'bullmq' };
    const { createBackend } = await loadEngine(options.engine, this.#importEngine);
    try {
      this.#backend = (createBackend as (engineOptions: object, shared: { keepCompleted: number }) => JobsBackend)(
        options.engineOptions,
        { keepCompleted: options.keepCompletedMs },
      );
    } catch (cause) {
      throw new ConfigurationError(
        'ORDO_JOBS_ENGINE_FAILED',
        `The ${options.engine} engine of durable jobs refused its options: ${(cause as Error)?.message ?? String(cause)}`,
        { cause },
      );
    }
    return this.#backend;
  }

  /** Resolves each handler's instance, opens the store if nothing opened it yet, and starts the workers. */
  async start(context: RuntimeContext): Promise<void> {
    this.#clock = context.clock;
    this.#logger = context.logger;
    this.#events = context.events;
    for (const [name, { id, method, job }] of this.#jobs) {
      const instance = (await context.container.getAsync(id)) as Record<string | symbol, unknown>;
      const fn = instance[method];
      if (typeof fn !== 'function') {
        throw new ConfigurationError(
          'ORDO_INVALID_JOB',
          `${job.where}: the instance resolved for it has no method ${String(method)}`,
        );
      }
      this.#handlers.set(name, { fn: fn as ResolvedHandler['fn'], receiver: instance });
    }
    if ((this.#jobs.size === 0 && !this.#ticks.declared) || this.#state !== 'idle') return;
    const backend = await this.#open();
    this.#state = 'working';
    await this.#ticks.start(backend);
    await backend.work([...[...this.#jobs.values()].map((found) => this.#queueSpec(found)), ...this.#ticks.queues()]);
  }

  /**
   * Stops the workers: no new claims, running handlers get half the time left before `deadline`, then their signals
   * abort and their jobs go back to the queue, unattempted. Returns a problem for each handler that ignored its abort.
   */
  stop(context: RuntimeContext, deadline: number): readonly RuntimeProblem[] | Promise<readonly RuntimeProblem[]> {
    // Nothing working: answer at once, so that a stop coming after the budget was spent is not given up on.
    if (this.#state !== 'working') return [];
    this.#state = 'stopped';
    return this.#drain(context, deadline);
  }

  async #drain(context: RuntimeContext, deadline: number): Promise<readonly RuntimeProblem[]> {
    const now = context.clock.now();
    const report = await this.#backend!.drain(now + Math.max(0, deadline - now) / 2);
    return report.abandoned.map((job) => {
      context.logger.warn(
        { job: job.name, id: job.id },
        'job handler abandoned: it ignored its abort at the drain deadline',
      );
      return {
        error: new JobError(
          'ORDO_JOB_ABANDONED',
          job.name,
          `The handler of job "${job.name}" (id ${job.id}), attempt ${job.attempt}, ignored its abort at the drain ` +
            'deadline and was still running when the stop went on without it; the job went back to the queue and will ' +
            'run again. Honour the signal in the job context',
        ),
      };
    });
  }

  /** Closes the store, if it was opened; `Jobs` rejects every call from now on. */
  close(): void | Promise<void> {
    this.#state = 'closed';
    const opening = this.#opening;
    // Nothing opened: release at once, so that a close after the budget was spent is not given up on.
    if (opening === undefined) return;
    return opening.then(
      (backend) => backend.close(),
      () => undefined,
    );
  }

  #queueSpec({ job }: DiscoveredJob): JobQueueSpec {
    return {
      name: job.name,
      concurrency: job.concurrency,
      attempts: job.attempts,
      backoff: job.backoff,
      run: (claimed, signal) => this.#run(claimed, signal),
    };
  }

  async #run(claimed: ClaimedJob, signal: AbortSignal): Promise<void> {
    const found = this.#jobs.get(claimed.name);
    const handler = this.#handlers.get(claimed.name);
    if (found === undefined || handler === undefined) {
      throw new JobError('ORDO_UNKNOWN_JOB', claimed.name, `No @Job handles jobs named "${claimed.name}" in this app`);
    }
    const { job } = found;
    try {
      await runAttempt(job, handler, claimed, signal, this.#clock!);
    } catch (error) {
      if (!signal.aborted) {
        const willRetry = claimed.attempt < job.attempts;
        this.#logger?.error(
          { job: job.name, id: claimed.id, attempt: claimed.attempt, willRetry, err: error },
          willRetry ? 'job attempt failed; it will be retried' : 'job attempt failed; the job is dead',
        );
        this.#events?.emit('job:failed', {
          name: job.name,
          id: claimed.id,
          attempt: claimed.attempt,
          error,
          willRetry,
        });
      }
      throw error;
    }
  }

  async #enqueue(name: string, payload: unknown, options: EnqueueOptions | undefined): Promise<JobId> {
    this.#refuseIfClosed('enqueue');
    const found = this.#jobs.get(name);
    if (found === undefined) throw this.#unknown(name);
    const clock = this.#clockNow();
    const now = clock.now();
    const { runAt, key } = checkEnqueueOptions(name, options, now);
    const text = encodePayload(name, payload, this.#options.maxPayloadBytes);
    const backend = await this.#open();
    return backend.enqueue({
      name,
      payload: text,
      runAt,
      enqueuedAt: now,
      maxAttempts: found.job.attempts,
      ...(key === undefined ? {} : { key }),
    });
  }

  async #withStore<T>(verb: string, use: (backend: JobsBackend) => Promise<T>, none: T): Promise<T> {
    this.#refuseIfClosed(verb);
    if (this.#backend === undefined) return none;
    return use(await this.#open());
  }

  /** Opens the store once, with the app's Clock and Logger (the container's before `start()`). */
  #open(): Promise<JobsBackend> {
    if (this.#opening === undefined) {
      const backend = this.#backend!;
      const opening = backend
        .open({ clock: this.#clockNow(), logger: this.#loggerNow() ?? this.#container!.get(Logger) })
        .then(
          () => backend,
          (cause: unknown) => {
            if (this.#opening === opening) this.#opening = undefined;
            throw new JobError(
              'ORDO_JOBS_ENGINE_FAILED',
              undefined,
              `The ${backend.engine} store of durable jobs failed to open: ${(cause as Error)?.message ?? String(cause)}`,
              { cause },
            );
          },
        );
      this.#opening = opening;
    }
    return this.#opening;
  }

  #clockNow(): Clock {
    this.#clock ??= this.#container!.get(Clock);
    return this.#clock;
  }

  #loggerNow(): Logger | undefined {
    return this.#logger ?? (this.#container?.isBound(Logger) ? this.#container.get(Logger) : undefined);
  }

  #refuseIfClosed(verb: string): void {
    if (this.#state !== 'closed') return;
    throw new JobError(
      'ORDO_JOBS_CLOSED',
      undefined,
      `Jobs.${verb}() was called after the app closed its store of durable jobs; enqueue and query jobs while the app runs`,
    );
  }

  #unknown(name: string): JobError {
    const known = [...this.#jobs.keys()].slice(0, KNOWN_NAMES_SHOWN).map((known) => `"${known}"`);
    const more = this.#jobs.size - known.length;
    return new JobError(
      'ORDO_UNKNOWN_JOB',
      String(name),
      `Jobs.enqueue(${JSON.stringify(name) ?? String(name)}): no @Job has that name; ` +
        (known.length === 0
          ? 'the app declares no @Job'
          : `the jobs are ${known.join(', ')}${more > 0 ? ` and ${more} more` : ''}`),
    );
  }
}
