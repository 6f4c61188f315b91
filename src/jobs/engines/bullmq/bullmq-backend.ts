import { Job, Queue, WaitingError, type JobType, type JobsOptions as BullJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../../core/index.js';
import { ConfigurationError, messageOf, OrdoError } from '../../../errors/index.js';
import { parseDuration, type Clock } from '../../../time/index.js';
import type { JobCounts, JobId, JobInfo, JobListQuery, JobPage, JobState } from '../../job-types.js';
import type {
  ClaimedJob,
  JobQueueSpec,
  JobSchedule,
  JobsBackend,
  JobsBackendContext,
  JobsDrainReport,
  NewJob,
} from '../../jobs-backend.js';
import type { BullmqJobsOptions } from '../../jobs-options.js';
import { settlesBy } from './bounded-wait.js';
import { CANCEL_SCRIPT, cancelKeys } from './cancel-script.js';
import { CLAIM_KEY_FOR_RETRY_SCRIPT, RELEASE_KEY_AFTER_FAILED_RETRY_SCRIPT } from './retry-key-script.js';
import { connect, describeConnection } from './connection.js';
import { cronerRepeatStrategy } from './croner-repeat.js';
import { InFlightJob } from './in-flight.js';
import { OrdoWorker } from './ordo-worker.js';
import { jobIdOf, parseJobId, queueNameOf } from './job-ids.js';
import { attemptStack, BULL_STATES, envelopeOf, infoOf, stateOf, type JobEnvelope } from './job-record.js';
import { readCursor, writeCursor, type ListPosition } from './list-cursor.js';

/** How long `open()` waits for Redis to answer. */
const CONNECT_TIMEOUT = 10_000;
/** How long, at most, the drain gives the writes that hand jobs back, and `close()` gives each connection. */
const RETURN_GRACE = 1_000;
/** BullMQ's `maxStalledCount`: a job stalled by crashes is claimed again, however often, and never failed for it. */
const MAX_STALLS = 1_000_000;
/** The backoff type every job names; the worker's `backoffStrategy` answers it from the attempt's failure. */
const BACKOFF_TYPE = 'ordo';

/** The failure BullMQ records for an attempt: the message, the history line in `stack`, the backoff computed once. */
interface AttemptFailure extends Error {
  retryDelay?: number;
}

/**
 * The distributed engine: BullMQ 6 on Redis through ioredis. One BullMQ queue and one worker per job name, so a
 * name's concurrency is the worker's `concurrency`. BullMQ reads the system clock for its own timing (locks, delays,
 * stalled checks, backoff, `finishedOn`); this engine takes `enqueuedAt`, `runAt` and the history's instants from the
 * app's Clock and turns `runAt` into a delay from the Clock's now, so it runs correctly only on a Clock that follows
 * real time. See docs/jobs.md, "BullMQ engine".
 */
export class BullmqBackend implements JobsBackend {
  readonly engine = 'bullmq';
  readonly #options: BullmqJobsOptions;
  readonly #prefix: string;
  readonly #keepCompleted: number;
  readonly #queues = new Map<string, Queue<JobEnvelope>>();
  readonly #registered = new Set<string>();
  readonly #workers: OrdoWorker[] = [];
  readonly #inFlight = new Map<JobId, InFlightJob>();
  #redis?: Redis;
  #clock?: Clock;
  #logger?: Logger;
  #sequence = 0;
  #drained?: Promise<JobsDrainReport>;
  #closed?: Promise<void>;

  constructor(options: BullmqJobsOptions, shared: { readonly keepCompleted: number }) {
    this.#options = options;
    this.#prefix = options.prefix ?? 'ordo';
    this.#keepCompleted = shared.keepCompleted;
  }

  async open(context: JobsBackendContext): Promise<void> {
    this.#clock = context.clock;
    this.#logger = context.logger;
    const redis = connect(this.#options.connection);
    this.#redis = redis;
    redis.on('error', () => {
      // ioredis reconnects by itself; what failed surfaces as the rejection of the command that needed it.
    });
    let failure: unknown = new Error(`no answer within ${CONNECT_TIMEOUT} ms`);
    const answered = redis
      .connect()
      .then(() => redis.ping())
      .then(
        () => true,
        (error: unknown) => {
          failure = error;
          return false;
        },
      );
    const inTime = await settlesBy(context.clock, context.clock.now() + CONNECT_TIMEOUT, answered);
    if (!inTime || !(await answered)) {
      redis.disconnect();
      throw new ConfigurationError(
        'ORDO_INVALID_OPTION',
        `jobs.bullmq.connection: Redis at ${describeConnection(this.#options.connection)} does not answer: ${messageOf(failure)}`,
        { cause: failure },
      );
    }
  }

  async enqueue(job: NewJob): Promise<JobId> {
    const queueName = queueNameOf(job.name);
    await this.#register(queueName);
    const options: BullJobOptions = {
      attempts: job.maxAttempts,
      backoff: { type: BACKOFF_TYPE },
      delay: Math.max(0, job.runAt - this.#now()),
      // BullMQ's age is in seconds; its script takes a fraction as well.
      removeOnComplete: { age: this.#keepCompleted / 1000 },
      removeOnFail: false,
      // Simple deduplication: BullMQ keeps the key while the job waits, is delayed, runs or waits for a retry, and
      // frees it when the job completes or fails for good; a same-key enqueue in between returns the live job's id.
      ...(job.key === undefined ? {} : { deduplication: { id: job.key } }),
    };
    const added = await this.#queue(queueName).add(job.name, envelopeOf(job, ++this.#sequence), options);
    return jobIdOf(queueName, String(added.id));
  }

  /**
   * The job and its state, read consistently: BullMQ reads them apart (the hash, then the sets), so a job that moved
   * in between is read again.
   */
  async get(id: JobId): Promise<JobInfo | undefined> {
    const where = parseJobId(id);
    if (!where) return undefined;
    const queue = this.#queue(where.queueName);
    let before = await queue.getJobState(where.bullId);
    for (let read = 0; ; read++) {
      const job = (await Job.fromId(queue, where.bullId)) as Job<JobEnvelope> | undefined;
      const after = await queue.getJobState(where.bullId);
      if (after === before || read === 4) {
        const state = stateOf(after);
        return job && state !== undefined ? infoOf(job, state) : undefined;
      }
      before = after;
    }
  }

  /**
   * Reads every matching job of every queue and sorts them by enqueue: simple and exact, and linear in the jobs
   * kept, which `keepCompleted` bounds. The cursor is the position of the page's last job.
   */
  async list(query: Required<Pick<JobListQuery, 'limit'>> & Omit<JobListQuery, 'limit'>): Promise<JobPage> {
    const after = query.cursor === undefined ? undefined : readCursor(query.cursor);
    const queueNames = query.name === undefined ? await this.#queueNames() : [queueNameOf(query.name)];
    const states: readonly JobState[] =
      query.state === undefined ? (Object.keys(BULL_STATES) as JobState[]) : [query.state];
    const found = new Map<JobId, { info: JobInfo; position: ListPosition }>();
    for (const queueName of queueNames) {
      const queue = this.#queue(queueName);
      for (const state of states) {
        const jobs = (await queue.getJobs([...BULL_STATES[state]], 0, -1, true)) as Array<Job<JobEnvelope> | undefined>;
        for (const job of jobs) {
          if (!job?.data) continue;
          const info = infoOf(job, state);
          found.set(info.id, { info, position: [job.data.e, job.data.s, info.id] });
        }
      }
    }
    const ordered = [...found.values()]
      .filter((entry) => after === undefined || comparePositions(entry.position, after) > 0)
      .sort((a, b) => comparePositions(a.position, b.position));
    const page = ordered.slice(0, query.limit);
    const last = page.at(-1);
    return {
      jobs: page.map((entry) => entry.info),
      ...(ordered.length > page.length && last ? { cursor: writeCursor(last.position) } : {}),
    };
  }

  async counts(): Promise<JobCounts> {
    const counts: Record<JobState, number> = { pending: 0, delayed: 0, running: 0, completed: 0, dead: 0 };
    for (const queueName of await this.#queueNames()) {
      const bull = await this.#queue(queueName).getJobCounts(...Object.values(BULL_STATES).flat());
      for (const [state, bullStates] of Object.entries(BULL_STATES) as Array<[JobState, readonly JobType[]]>) {
        for (const bullState of bullStates) counts[state] += bull[bullState] ?? 0;
      }
    }
    return counts;
  }

  async retry(id: JobId): Promise<boolean> {
    const where = parseJobId(id);
    if (!where) return false;
    const queue = this.#queue(where.queueName);
    const job = await Job.fromId(queue, where.bullId);
    if (!job) return false;
    const keys = [queue.toKey('failed'), queue.toKey(where.bullId)];
    const args = [where.bullId, `${queue.qualifiedName}:`];
    const redis = this.#connection();
    if ((await redis.eval(CLAIM_KEY_FOR_RETRY_SCRIPT, keys.length, ...keys, ...args)) !== 1) return false;
    try {
      // BullMQ's retry moves the job out of `failed` atomically and refuses one that is not there.
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    } catch {
      await redis.eval(RELEASE_KEY_AFTER_FAILED_RETRY_SCRIPT, keys.length, ...keys, ...args);
      return false;
    }
  }

  async cancel(id: JobId): Promise<boolean> {
    const where = parseJobId(id);
    if (!where) return false;
    const queue = this.#queue(where.queueName);
    const keys = cancelKeys((type) => queue.toKey(type), where.bullId);
    const args = [where.bullId, String(this.#now()), `${queue.qualifiedName}:`, 'cancelled'];
    return (await this.#connection().eval(CANCEL_SCRIPT, keys.length, ...keys, ...args)) === 1;
  }

  async work(queues: readonly JobQueueSpec[]): Promise<void> {
    const lockDuration = parseDuration(this.#options.lockDuration ?? '30s');
    const stalledInterval = parseDuration(this.#options.stalledInterval ?? '30s');
    for (const spec of queues) {
      const queueName = queueNameOf(spec.name);
      await this.#register(queueName);
      // Three declared parameters: BullMQ passes the abort signal only to a processor whose length is 3.
      const processor = (job: Job<JobEnvelope>, token: string | undefined, signal: AbortSignal | undefined) =>
        this.#process(spec, queueName, job, token ?? '', signal);
      const worker = new OrdoWorker(queueName, processor, {
        connection: this.#connection(),
        prefix: this.#prefix,
        concurrency: spec.concurrency,
        lockDuration,
        stalledInterval,
        maxStalledCount: MAX_STALLS,
        settings: {
          backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
            (error as AttemptFailure | undefined)?.retryDelay ?? spec.backoff(attemptsMade),
          repeatStrategy: cronerRepeatStrategy,
        },
      });
      worker.on('error', (err) => this.#logger?.warn({ err, job: spec.name }, 'bullmq worker error'));
      worker.onRefused = (job, outcome, err) =>
        this.#logger?.warn(
          { job: jobIdOf(queueName, String(job.id)), outcome, err },
          `bullmq: the ${outcome} of job ${jobIdOf(queueName, String(job.id))} was refused: its lease was taken over`,
        );
      worker.on('lockRenewalFailed', (bullIds) => {
        for (const bullId of bullIds) {
          const held = this.#inFlight.get(jobIdOf(queueName, bullId));
          if (!held || held.returned) continue;
          held.leaseLost = true;
          this.#logger?.warn(
            { job: held.claimed.id },
            `bullmq: lost the lease of job ${held.claimed.id}; its outcome will not be written`,
          );
          worker.cancelJob(bullId, 'lease lost');
        }
      });
      this.#workers.push(worker);
    }
    await Promise.all(this.#workers.map((worker) => worker.waitUntilReady()));
  }

  /**
   * A cluster schedule as a BullMQ job scheduler on its tick's queue, one id per schedule (the tick's job name), its
   * instants computed by croner (the queue's and worker's `repeatStrategy`); upserting the same schedule from every
   * process leaves one scheduler. Its jobs are handed to `run` with their slot as `scheduledAt`.
   */
  async upsertSchedule(schedule: JobSchedule): Promise<void> {
    const queueName = queueNameOf(schedule.job);
    await this.#register(queueName);
    const now = this.#now();
    // `every` from the next whole multiple of the period since the epoch, as the in-process scheduler counts (BullMQ
    // would count from the first upsert's instant); a later upsert keeps the running scheduler's slots.
    const repeat =
      schedule.every !== undefined
        ? { every: schedule.every, startDate: Math.ceil(now / schedule.every) * schedule.every }
        : { pattern: schedule.cron!, ...(schedule.timeZone === undefined ? {} : { tz: schedule.timeZone }) };
    const template: NewJob = { name: schedule.job, payload: '{}', runAt: now, enqueuedAt: now, maxAttempts: 1 };
    await this.#queue(queueName).upsertJobScheduler(schedule.job, repeat, {
      name: schedule.job,
      data: envelopeOf(template, 0),
      opts: {
        attempts: 1,
        backoff: { type: BACKOFF_TYPE },
        removeOnComplete: { age: this.#keepCompleted / 1000 },
        removeOnFail: false,
      },
    });
  }

  /** Removes the job scheduler of a cluster schedule: no more ticks, in any process. */
  async removeSchedule(job: string): Promise<void> {
    await this.#queue(queueNameOf(job)).removeJobScheduler(job);
  }

  drain(deadline: number): Promise<JobsDrainReport> {
    this.#drained ??= this.#drain(deadline);
    return this.#drained;
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  /**
   * For tests: makes this engine behave as if its process died. Its workers renew no lock and claim nothing more;
   * its handlers go on, and their outcomes reach Redis late, where the claim token refuses them. `drain` and
   * `close` still release its connections.
   */
  simulateCrash(): void {
    for (const worker of this.#workers) worker.halt();
  }

  async #process(
    spec: JobQueueSpec,
    queueName: string,
    job: Job<JobEnvelope>,
    token: string,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const claimed: ClaimedJob = {
      id: jobIdOf(queueName, String(job.id)),
      name: spec.name,
      payload: JSON.parse(job.data.p) as unknown,
      attempt: job.attemptsMade + 1,
      enqueuedAt: job.data.e,
      ...(job.repeatJobKey === undefined ? {} : { scheduledAt: slotOf(job) }),
    };
    const held = new InFlightJob(job, token, claimed);
    this.#inFlight.set(claimed.id, held);
    const startedAt = this.#now();
    let run: Promise<void>;
    try {
      // BullMQ's signal: cancelJob (a lost lock) and cancelAllJobs (the drain deadline) abort it.
      run = spec.run(claimed, signal ?? new AbortController().signal);
    } catch (error) {
      run = Promise.reject(error);
    }
    const outcome = await held.follow(run);
    this.#inFlight.delete(claimed.id);
    // Handed back at the drain deadline, or the lease was lost: nothing is written, the attempt does not count.
    if (held.returned || held.leaseLost || outcome === 'released') throw new WaitingError();
    if (!outcome.failed) return;
    const failure = outcome.error;
    const finishedAt = this.#now();
    const maxAttempts = job.opts.attempts ?? 1;
    const retryDelay = claimed.attempt < maxAttempts ? spec.backoff(claimed.attempt) : undefined;
    const error: AttemptFailure = new Error(messageOf(failure), { cause: failure });
    error.retryDelay = retryDelay;
    error.stack = attemptStack(
      {
        a: claimed.attempt,
        s: startedAt,
        f: finishedAt,
        m: error.message,
        ...(retryDelay === undefined ? {} : { n: finishedAt + retryDelay }),
      },
      failure instanceof Error ? failure.stack : undefined,
    );
    throw error;
  }

  async #drain(deadline: number): Promise<JobsDrainReport> {
    const clock = this.#clockOrThrow();
    const atStart = this.#inFlight.size;
    // close() stops claiming at once (it cuts the blocking fetch) and resolves when the handlers finished; it has no
    // timeout of its own, hence the race against the deadline.
    const closing = Promise.all(this.#workers.map((worker) => worker.close()));
    if (await settlesBy(clock, deadline, closing)) return { drained: atStart, returned: 0, abandoned: [] };
    const held = [...this.#inFlight.values()];
    for (const job of held) job.returned = true;
    for (const worker of this.#workers) worker.cancelAllJobs('drain deadline');
    // Back to `wait` with the claim token: the attempt is not counted (BullMQ counts attempts when a job finishes).
    const handedBack = Promise.allSettled(held.map((job) => job.job.moveToWait(job.token)));
    await settlesBy(clock, clock.now() + RETURN_GRACE, handedBack);
    for (const job of held) job.release();
    const abandoned = held.filter((job) => !job.settled).map((job) => job.claimed);
    if (abandoned.length > 0) {
      this.#logger?.warn(
        { jobs: abandoned.map((job) => job.id) },
        'bullmq: handlers ignored their abort at the drain deadline',
      );
    }
    return { drained: atStart - held.length, returned: held.length, abandoned };
  }

  async #close(): Promise<void> {
    const clock = this.#clock;
    if (!clock) return;
    if (this.#workers.length > 0) await this.drain(clock.now());
    const closing = Promise.allSettled([
      ...this.#workers.map((worker) => worker.close()),
      ...[...this.#queues.values()].map((queue) => queue.close()),
    ]);
    await settlesBy(clock, clock.now() + RETURN_GRACE, closing);
    const redis = this.#redis;
    if (redis && !(await settlesBy(clock, clock.now() + RETURN_GRACE, redis.quit()))) redis.disconnect();
  }

  #queue(queueName: string): Queue<JobEnvelope> {
    let queue = this.#queues.get(queueName);
    if (!queue) {
      queue = new Queue<JobEnvelope>(queueName, {
        connection: this.#connection(),
        prefix: this.#prefix,
        settings: { repeatStrategy: cronerRepeatStrategy },
      });
      queue.on('error', (err) => this.#logger?.warn({ err, queue: queueName }, 'bullmq queue error'));
      this.#queues.set(queueName, queue);
    }
    return queue;
  }

  /** Names the queue in a set beside BullMQ's keys, so `list` and `counts` find queues other processes made. */
  async #register(queueName: string): Promise<void> {
    if (this.#registered.has(queueName)) return;
    await this.#connection().sadd(this.#namesKey(), queueName);
    this.#registered.add(queueName);
  }

  async #queueNames(): Promise<string[]> {
    return (await this.#connection().smembers(this.#namesKey())).sort();
  }

  /** `{` is percent-encoded in queue names, so this key never meets one of BullMQ's. */
  #namesKey(): string {
    return `${this.#prefix}:{ordo}:queues`;
  }

  #connection(): Redis {
    if (!this.#redis) throw new OrdoError('ORDO_INVALID_STATE', 'the BullMQ jobs engine was used before open()');
    return this.#redis;
  }

  #clockOrThrow(): Clock {
    if (!this.#clock) throw new OrdoError('ORDO_INVALID_STATE', 'the BullMQ jobs engine was used before open()');
    return this.#clock;
  }

  #now(): number {
    return this.#clockOrThrow().now();
  }
}

/** A job scheduler's job's slot: BullMQ ids them `repeat:<scheduler>:<slot in ms>` (and cron ones carry `prevMillis`). */
function slotOf(job: Job<JobEnvelope>): number {
  const fromId = Number(String(job.id).slice(String(job.id).lastIndexOf(':') + 1));
  return Number.isFinite(fromId) ? fromId : (job.opts.prevMillis ?? job.timestamp);
}

function comparePositions(a: ListPosition, b: ListPosition): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}
