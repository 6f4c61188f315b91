import type { AppEvents, Logger, Runtime, RuntimeContext, RuntimePreparation, RuntimeProblem } from '../core/index.js';
import type { ClusterSchedule, ClusterSchedules, ClusterTiming } from '../core/internal.js';
import { ConfigurationError } from '../errors/index.js';
import { Clock, formatDuration, type TimerHandle } from '../time/index.js';
import { TimerHeap } from '../time/internal.js';
import { label, discoverSchedules, type DiscoveredSchedule } from './schedule-discovery.js';
import { type ActiveRun, ScheduleEntry } from './schedule-entry.js';
import { ScheduleError } from './schedule-errors.js';
import type { ScheduledFn, ScheduleRunContext, ScheduleSpec } from './schedule-options.js';
import { checkName, checkSchedule, type CheckedSchedule } from './schedule-spec.js';
import { type ScheduleInfo, type ScheduleRunOutcome, Schedules } from './schedules.js';
import { abortGrace, drainWindow } from './drain-window.js';

/** Slots of a cron counted one by one after a stall, at most; past it the count says "at least". */
const MISSED_COUNT_LIMIT = 10_000;

/** How many known names an unknown-name error lists: an app may have 100,000 schedules. */
const KNOWN_NAMES_SHOWN = 20;

type SchedulerState = 'idle' | 'running' | 'stopping' | 'stopped';

/**
 * The app's scheduler, as a runtime: it discovers `@Every`/`@Cron` methods at `Ordo.create()`, fires them from
 * `start` (once every component started) until `stop` (before any component stops), and is the registry behind
 * `app.schedules`. The next runs sit in one priority queue under ONE armed Clock timer, however many schedules
 * there are; the timer is armed for at most the clock's `wallRecheckInterval` (60 s on the system clock), so a stall or a
 * machine's sleep is noticed on waking and made up with one catch-up run.
 */
export class Scheduler implements Runtime {
  readonly name = 'schedules';
  readonly #entries = new Map<string, ScheduleEntry>();
  readonly #queue = new TimerHeap<ScheduleEntry>();
  readonly #active = new Set<ActiveRun>();
  readonly #settled = new Set<() => void>();
  #discovered: Array<{ found: DiscoveredSchedule; entry: ScheduleEntry }> = [];
  /** Cluster schedules whose instance is not resolved yet: a tick may be claimed before `start` resolves it. */
  readonly #unresolved = new Map<ScheduleEntry, DiscoveredSchedule>();
  readonly #cluster: ClusterSchedules | undefined;
  #timing: ClusterTiming = 'slots';
  #container?: RuntimePreparation['container'];
  #state: SchedulerState = 'idle';
  #seq = 0;
  #timer: TimerHandle | undefined;
  #clock?: Clock;
  #logger?: Logger;
  #events?: AppEvents;
  readonly #onStopping = (): void => this.#stopFiring();

  /** The registry users call, as `app.schedules`. */
  readonly registry: Schedules = new ScheduleRegistry(this);

  /**
   * @param cluster the job engine's side of cluster-once schedules, which the composition root hands over; without
   * it, a `{ cluster: true }` schedule fails `prepare`.
   */
  constructor(cluster?: ClusterSchedules) {
    this.#cluster = cluster;
  }

  /**
   * Finds and checks every scheduled method, makes the registry injectable as `Schedules`, and declares the cluster
   * schedules to the job engine's seam.
   */
  async prepare({ container }: RuntimePreparation): Promise<void> {
    this.#container = container;
    const cluster: ClusterSchedule[] = [];
    for (const found of discoverSchedules(container)) {
      const entry = new ScheduleEntry(found.schedule, undefined);
      this.#entries.set(found.schedule.name, entry);
      this.#discovered.push({ found, entry });
      if (found.schedule.cluster) {
        this.#unresolved.set(entry, found);
        cluster.push(clusterScheduleOf(found.schedule, found.where));
      }
    }
    if (!container.isBound(Schedules)) container.bind(Schedules).toConstantValue(this.registry);
    if (cluster.length === 0) return;
    if (this.#cluster === undefined) {
      throw new ConfigurationError(
        'ORDO_INVALID_SCHEDULE',
        `${cluster[0]!.where}: { cluster: true } needs a job engine, and this scheduler was given none`,
      );
    }
    this.#timing = await this.#cluster.declare(cluster, (name, scheduledAt, signal) =>
      this.#runTick(name, scheduledAt, signal),
    );
  }

  /** Resolves the instances with scheduled methods, then starts firing: `every` periods count from now. */
  async start(context: RuntimeContext): Promise<void> {
    this.#clock = context.clock;
    this.#logger = context.logger;
    this.#events = context.events;
    for (const { found, entry } of this.#discovered) await this.#resolve(found, entry, context.container);
    this.#discovered = [];
    if (this.#state !== 'idle') return;
    this.#state = 'running';
    context.events.on('app:stopping', this.#onStopping);
    const now = this.#clock.now();
    for (const entry of this.#entries.values()) this.#begin(entry, now);
    this.#arm();
  }

  /**
   * Stops firing, lets in-flight runs finish until half the time left before `deadline`, then aborts their
   * signals and gives them up to a second to settle; returns a problem for each run still going.
   */
  stop(context: RuntimeContext, deadline: number): readonly RuntimeProblem[] | Promise<readonly RuntimeProblem[]> {
    this.#stopFiring();
    // Nothing in flight: answer at once, so that a stop coming after the budget was spent is not given up on.
    if (this.#active.size === 0) {
      this.#state = 'stopped';
      return [];
    }
    return this.#drain(context.clock, deadline);
  }

  /** Resolves a decorated schedule's instance and method. */
  async #resolve(
    found: DiscoveredSchedule,
    entry: ScheduleEntry,
    container: RuntimeContext['container'],
  ): Promise<void> {
    if (entry.fn !== undefined) return;
    const instance = (await container.getAsync(found.id)) as Record<string | symbol, unknown>;
    const method = instance[found.method];
    if (typeof method !== 'function') {
      throw new ConfigurationError(
        'ORDO_INVALID_SCHEDULE',
        `${found.schedule.name}: the instance resolved for it has no method ${String(found.method)}`,
      );
    }
    entry.fn = method as ScheduledFn;
    entry.receiver = instance;
    this.#unresolved.delete(entry);
  }

  async #drain(clock: Clock, deadline: number): Promise<readonly RuntimeProblem[]> {
    await this.#settleWithin(clock, drainWindow(clock, deadline));
    if (this.#active.size > 0) {
      for (const run of this.#active) {
        const name = run.entry.spec.name;
        run.controller.abort(
          new ScheduleError(
            'ORDO_SCHEDULE_STOPPED',
            name,
            `The app is stopping: the run of schedule "${name}" is aborted at the drain deadline`,
          ),
        );
      }
      await this.#settleWithin(clock, abortGrace(clock, deadline));
    }
    this.#state = 'stopped';
    return [...this.#active].map(({ entry, scheduledAt }) => {
      const name = entry.spec.name;
      this.#logger?.warn({ schedule: name }, 'scheduled run abandoned: it ignored its abort');
      return {
        error: new ScheduleError(
          'ORDO_SCHEDULE_ABANDONED',
          name,
          `The run of schedule "${name}" for ${new Date(scheduledAt).toISOString()} ignored its abort at the drain ` +
            'deadline and was still running when the stop went on without it; honour the signal in the run context',
        ),
      };
    });
  }

  /** Stops firing for good and lets go of the app's events. */
  close(): void {
    this.#stopFiring();
    this.#state = 'stopped';
    this.#events?.off('app:stopping', this.#onStopping);
  }

  // The registry's verbs.

  list(): ScheduleInfo[] {
    return [...this.#entries.values()].map((entry) => this.#info(entry));
  }

  get(name: string): ScheduleInfo {
    return this.#info(this.#entry(name, 'get'));
  }

  /** An engine-timed schedule is in no queue of this process: its next run is its next slot on the schedule. */
  #info(entry: ScheduleEntry): ScheduleInfo {
    if (!this.#engineTimed(entry) || entry.paused || this.#state !== 'running') return entry.info();
    return entry.info(entry.spec.slotAfter(this.#clock!.now(), 0));
  }

  #engineTimed(entry: ScheduleEntry): boolean {
    return entry.spec.cluster && this.#timing === 'engine';
  }

  trigger(name: string): Promise<ScheduleRunOutcome> {
    let entry: ScheduleEntry;
    try {
      entry = this.#entry(name, 'trigger');
      this.#refuseUnlessRunning(name, 'trigger');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#due(entry, this.#clock!.now(), entry.heapIndex >= 0 ? entry.slot : undefined);
  }

  pause(name: string): void {
    const entry = this.#entry(name, 'pause');
    if (this.#engineTimed(entry) && !entry.paused) this.#tellEngine(entry, 'unschedule');
    entry.paused = true;
    if (this.#queue.remove(entry)) this.#arm();
  }

  resume(name: string): void {
    const entry = this.#entry(name, 'resume');
    if (!entry.paused) return;
    entry.paused = false;
    if (this.#engineTimed(entry)) this.#tellEngine(entry, 'reschedule');
    if (this.#state === 'running' && entry.planAfter(this.#clock!.now())) this.#enqueue(entry);
    this.#arm();
  }

  add(name: string, spec: ScheduleSpec, fn: ScheduledFn): void {
    const where = `app.schedules.add(${JSON.stringify(name) ?? String(name)})`;
    checkName(name, where);
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      throw new ScheduleError('ORDO_SCHEDULE_STOPPED', name, `${where}: schedules have stopped, the app is stopping`);
    }
    if (typeof fn !== 'function') {
      throw new ConfigurationError('ORDO_INVALID_SCHEDULE', `${where}: the schedule's body must be a function`);
    }
    const given = (spec ?? {}) as Partial<Record<'every' | 'cron', unknown>> & Record<string, unknown>;
    const hasEvery = given.every !== undefined;
    if (hasEvery === (given.cron !== undefined)) {
      throw new ConfigurationError(
        'ORDO_INVALID_SCHEDULE',
        `${where}: give exactly one of { every: '10m' } or { cron: '0 3 * * *' }`,
      );
    }
    if (given.cluster !== undefined && given.cluster !== false) {
      throw new ConfigurationError(
        'ORDO_INVALID_SCHEDULE',
        `${where}: cluster schedules are declared with @Every or @Cron, so that every process sharing the job engine ` +
          'knows them and can run their ticks; app.schedules.add adds a schedule to this process only',
      );
    }
    const { every, cron, ...options } = given;
    const declaration = hasEvery
      ? ({ kind: 'every', period: every, options } as const)
      : ({ kind: 'cron', expression: cron, options } as const);
    const checked = checkSchedule(
      declaration as Parameters<typeof checkSchedule>[0],
      name,
      `${label(declaration as Parameters<typeof label>[0])} given to ${where}`,
    );
    if (this.#entries.has(name)) {
      throw new ConfigurationError(
        'ORDO_DUPLICATE_SCHEDULE_NAME',
        `${where}: a schedule named "${name}" exists already; remove it first or choose another name`,
      );
    }
    const entry = new ScheduleEntry(checked, fn);
    this.#entries.set(name, entry);
    if (this.#state === 'running') {
      this.#begin(entry, this.#clock!.now());
      this.#arm();
    }
  }

  remove(name: string): void {
    const entry = this.#entry(name, 'remove');
    this.#entries.delete(name);
    if (this.#engineTimed(entry) && !entry.paused) this.#tellEngine(entry, 'unschedule');
    if (this.#queue.remove(entry)) this.#arm();
    this.#dropWaiting(entry);
  }

  /** Asks the engine to stop or restart making an engine-timed schedule's ticks; a failure is logged. */
  #tellEngine(entry: ScheduleEntry, verb: 'unschedule' | 'reschedule'): void {
    const name = entry.spec.name;
    this.#cluster![verb](name).catch((err: unknown) =>
      this.#logger?.error({ schedule: name, err }, `cluster schedule: the job engine failed to ${verb} it`),
    );
  }

  // Firing.

  /** Places a schedule at its first slot from `now` and runs it now if it is `immediate`. */
  #begin(entry: ScheduleEntry, now: number): void {
    if (entry.spec.cluster) {
      // Every process computes the same slots; the engine times them itself when it can.
      entry.origin = 0;
      if (this.#timing === 'engine') return;
    } else {
      entry.origin = now;
    }
    if (!entry.paused && entry.planAfter(now)) this.#enqueue(entry);
    if (entry.spec.immediate && !entry.paused) void this.#due(entry, now, entry.slot);
  }

  #enqueue(entry: ScheduleEntry): void {
    entry.seq = this.#seq++;
    this.#queue.push(entry);
  }

  /** Arms the one timer for the next run, or for the clock's re-check interval if that comes first. */
  #arm(): void {
    if (this.#state !== 'running') return;
    const next = this.#queue.peek();
    if (next === undefined) {
      this.#timer?.cancel();
      return;
    }
    const clock = this.#clock!;
    const delay = Math.min(Math.max(0, next.due - clock.now()), clock.wallRecheckInterval ?? Infinity);
    if (this.#timer) this.#timer.reset(delay);
    else this.#timer = this.#clock!.setTimer(delay, () => this.#wake());
  }

  #wake(): void {
    if (this.#state !== 'running') return;
    const now = this.#clock!.now();
    for (let next = this.#queue.peek(); next !== undefined && next.due <= now; next = this.#queue.peek()) {
      this.#queue.remove(next);
      this.#fire(next, now);
    }
    this.#arm();
  }

  /** Runs a schedule whose time came; after a stall, one catch-up run for the latest slot that passed. */
  #fire(entry: ScheduleEntry, now: number): void {
    let scheduledAt = entry.slot!;
    let next = entry.spec.slotAfter(scheduledAt, entry.origin);
    let missed = 0;
    const period = entry.spec.period;
    if (next !== undefined && next <= now) {
      if (period !== undefined) {
        missed = Math.floor((now - scheduledAt) / period);
        scheduledAt += missed * period;
        next = scheduledAt + period;
      } else {
        while (next !== undefined && next <= now && missed < MISSED_COUNT_LIMIT) {
          scheduledAt = next;
          missed++;
          next = entry.spec.slotAfter(next, entry.origin);
        }
        if (next !== undefined && next <= now) next = entry.spec.slotAfter(now, entry.origin);
      }
      entry.missed += missed;
      this.#logger?.warn(
        { schedule: entry.spec.name, missed },
        `schedule missed ${missed} slot${missed === 1 ? '' : 's'} (the clock jumped or the event loop stalled); running once to catch up`,
      );
    }
    if (entry.planAt(next)) this.#enqueue(entry);
    if (entry.spec.cluster) this.#enqueueTick(entry, scheduledAt);
    else void this.#due(entry, scheduledAt, next);
  }

  /** Hands a cluster schedule's slot to the job engine, which enqueues its tick unless another process did. */
  #enqueueTick(entry: ScheduleEntry, scheduledAt: number): void {
    const name = entry.spec.name;
    this.#cluster!.enqueue(name, scheduledAt).catch((err: unknown) =>
      this.#logger?.error(
        { schedule: name, scheduledAt: new Date(scheduledAt).toISOString(), err },
        'cluster schedule: the tick could not be enqueued',
      ),
    );
  }

  /**
   * Runs a cluster schedule's tick that this process's job worker claimed, with the job's signal; the run is the
   * job's, so the jobs runtime drains it, not the scheduler. Rejects with the run's error, so the job records it.
   */
  async #runTick(name: string, scheduledAt: number, signal: AbortSignal): Promise<void> {
    const entry = this.#entries.get(name);
    if (entry === undefined || !entry.spec.cluster) {
      throw new ScheduleError(
        'ORDO_UNKNOWN_SCHEDULE',
        name,
        `A tick of cluster schedule "${name}" was claimed, but this app has no such cluster schedule (it was removed, ` +
          'or another version of the app enqueued it)',
      );
    }
    const found = this.#unresolved.get(entry);
    if (found !== undefined) await this.#resolve(found, entry, this.#container!);
    this.#clock ??= this.#container!.get(Clock);
    const spec = entry.spec;
    const outcome = await this.#run(entry, scheduledAt, spec.slotAfter(scheduledAt, 0), {
      previousAt: spec.slotBefore(scheduledAt, 0),
      signal,
    });
    if (outcome.status === 'failed') throw outcome.error;
  }

  /** A run whose time came, by the schedule or a trigger: started, skipped or queued by the overlap policy. */
  #due(entry: ScheduleEntry, scheduledAt: number, nextAt: number | undefined): Promise<ScheduleRunOutcome> {
    if (entry.running > 0) {
      const overlap = entry.spec.overlap;
      if (overlap === 'queue' && entry.waiting === undefined) {
        return new Promise((resolve) => {
          entry.waiting = { scheduledAt, nextAt, waiters: [resolve] };
        });
      }
      if (overlap !== 'allow') {
        entry.skips++;
        return Promise.resolve({ status: 'skipped' });
      }
    }
    return this.#run(entry, scheduledAt, nextAt);
  }

  /**
   * Runs the schedule's body. A tick of a cluster schedule comes with the job's `signal`, which the run's follows, and
   * its `previousAt` from the schedule; it is not among the runs this scheduler drains.
   */
  #run(
    entry: ScheduleEntry,
    scheduledAt: number,
    nextAt: number | undefined,
    tick?: { previousAt: number | undefined; signal: AbortSignal },
  ): Promise<ScheduleRunOutcome> {
    const clock = this.#clock!;
    const { name, timeoutMs } = entry.spec;
    const startedAt = clock.now();
    const controller = new AbortController();
    const run: ActiveRun = { entry, controller, scheduledAt };
    if (tick !== undefined) followSignal(controller, tick.signal);
    const previousAt = tick === undefined ? entry.lastSlot : tick.previousAt;
    const context: ScheduleRunContext = {
      name,
      scheduledAt: new Date(scheduledAt),
      startedAt: new Date(startedAt),
      previousAt: previousAt === undefined ? undefined : new Date(previousAt),
      nextAt: nextAt === undefined ? undefined : new Date(nextAt),
      signal: controller.signal,
    };
    entry.lastSlot = scheduledAt;
    entry.lastRun = startedAt;
    entry.running++;
    entry.runs++;
    if (tick === undefined) this.#active.add(run);
    const timeout =
      timeoutMs === undefined
        ? undefined
        : clock.setTimer(timeoutMs, () =>
            controller.abort(
              new ScheduleError(
                'ORDO_SCHEDULE_TIMEOUT',
                name,
                `The run of schedule "${name}" for ${context.scheduledAt.toISOString()} timed out after ${formatDuration(timeoutMs)}`,
              ),
            ),
          );
    let result: unknown;
    try {
      result = entry.fn!.call(entry.receiver, context);
    } catch (error) {
      result = Promise.reject(error);
    }
    return Promise.resolve(result).then(
      () => this.#finish(run, timeout, { status: 'succeeded' }),
      (error: unknown) => this.#finish(run, timeout, { status: 'failed', error }),
    );
  }

  #finish(run: ActiveRun, timeout: TimerHandle | undefined, outcome: ScheduleRunOutcome): ScheduleRunOutcome {
    timeout?.cancel();
    const { entry } = run;
    const name = entry.spec.name;
    entry.running--;
    this.#active.delete(run);
    entry.lastOutcome = outcome.status === 'failed' ? 'failed' : 'succeeded';
    entry.lastError = outcome.status === 'failed' ? outcome.error : undefined;
    if (outcome.status === 'failed') {
      entry.failures++;
      const durationMs = this.#clock!.now() - entry.lastRun!;
      this.#logger?.error({ schedule: name, err: outcome.error }, 'scheduled run failed');
      this.#events?.emit('schedule:failed', { name, error: outcome.error, scheduledAt: run.scheduledAt, durationMs });
    }
    const waiting = entry.waiting;
    if (waiting !== undefined && entry.running === 0) {
      entry.waiting = undefined;
      if (this.#state === 'running' && this.#entries.get(name) === entry) {
        void this.#run(entry, waiting.scheduledAt, waiting.nextAt).then((queued) => {
          for (const resolve of waiting.waiters) resolve(queued);
        });
      } else {
        for (const resolve of waiting.waiters) resolve({ status: 'skipped' });
      }
    }
    if (this.#active.size === 0) for (const wake of this.#settled) wake();
    return outcome;
  }

  // Stopping.

  #stopFiring(): void {
    if (this.#state === 'running' || this.#state === 'idle') this.#state = 'stopping';
    this.#timer?.cancel();
    for (const entry of this.#entries.values()) this.#dropWaiting(entry);
  }

  #dropWaiting(entry: ScheduleEntry): void {
    const waiting = entry.waiting;
    entry.waiting = undefined;
    for (const resolve of waiting?.waiters ?? []) resolve({ status: 'skipped' });
  }

  /** Resolves once no run is going, or after `ms` on the clock. */
  #settleWithin(clock: Clock, ms: number): Promise<void> {
    if (this.#active.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        timer.cancel();
        this.#settled.delete(done);
        resolve();
      };
      const timer = clock.setTimer(ms, done);
      this.#settled.add(done);
    });
  }

  #refuseUnlessRunning(name: string, verb: string): void {
    if (this.#state === 'running') return;
    const why =
      this.#state === 'idle'
        ? 'schedules have not started yet: they start once the app has started'
        : 'schedules have stopped: the app is stopping';
    throw new ScheduleError('ORDO_SCHEDULE_STOPPED', name, `app.schedules.${verb}("${name}"): ${why}`);
  }

  #entry(name: string, verb: string): ScheduleEntry {
    const entry = this.#entries.get(name);
    if (entry !== undefined) return entry;
    const known: string[] = [];
    for (const key of this.#entries.keys()) {
      if (known.length === KNOWN_NAMES_SHOWN) break;
      known.push(`"${key}"`);
    }
    const more = this.#entries.size - known.length;
    throw new ScheduleError(
      'ORDO_UNKNOWN_SCHEDULE',
      String(name),
      `app.schedules.${verb}(${JSON.stringify(name) ?? String(name)}): no schedule has that name; ` +
        (known.length === 0
          ? 'the app has no schedules'
          : `the schedules are ${known.join(', ')}${more > 0 ? ` and ${more} more (see app.schedules.list())` : ''}`),
    );
  }
}

/** Aborts `controller` when `signal` does. */
function followSignal(controller: AbortController, signal: AbortSignal): void {
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
}

/** What the job engine's seam is told of a cluster schedule. */
function clusterScheduleOf(spec: CheckedSchedule, where: string): ClusterSchedule {
  return spec.period !== undefined
    ? { name: spec.name, every: spec.period, where }
    : {
        name: spec.name,
        cron: spec.expression!,
        where,
        ...(spec.timeZone === undefined ? {} : { timeZone: spec.timeZone }),
      };
}

/** `app.schedules`: the public verbs of the scheduler. */
class ScheduleRegistry extends Schedules {
  readonly #scheduler: Scheduler;

  constructor(scheduler: Scheduler) {
    super();
    this.#scheduler = scheduler;
  }

  list(): ScheduleInfo[] {
    return this.#scheduler.list();
  }

  get(name: string): ScheduleInfo {
    return this.#scheduler.get(name);
  }

  trigger(name: string): Promise<ScheduleRunOutcome> {
    return this.#scheduler.trigger(name);
  }

  pause(name: string): void {
    this.#scheduler.pause(name);
  }

  resume(name: string): void {
    this.#scheduler.resume(name);
  }

  add(name: string, spec: ScheduleSpec, fn: ScheduledFn): void {
    this.#scheduler.add(name, spec, fn);
  }

  remove(name: string): void {
    this.#scheduler.remove(name);
  }
}
