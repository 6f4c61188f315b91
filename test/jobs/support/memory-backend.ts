import type {
  ClaimedJob,
  Clock,
  JobCounts,
  JobInfo,
  JobQueueSpec,
  JobsBackend,
  JobsBackendContext,
  JobsDrainReport,
  JobState,
  NewJob,
  TimerHandle,
} from '../../../src/index.js';

interface StoredJob {
  id: string;
  name: string;
  state: JobState;
  payload: string;
  key?: string;
  attempts: number;
  maxAttempts: number;
  enqueuedAt: number;
  runAt: number;
  finishedAt?: number;
  lastError?: string;
  history: Array<{ attempt: number; startedAt: number; finishedAt: number; error?: string }>;
}

interface Running {
  readonly job: StoredJob;
  readonly claimed: ClaimedJob;
  readonly controller: AbortController;
  settled: boolean;
  readonly done: Promise<void>;
}

/**
 * An in-memory JobsBackend for testing the API layer only (the engines have their own contract suite): jobs in a
 * Map, claimed oldest runAt first on the Clock, one timer for the next delayed job. It records what it was asked.
 */
export class MemoryBackend implements JobsBackend {
  readonly engine = 'memory';
  readonly jobs = new Map<string, StoredJob>();
  readonly enqueued: NewJob[] = [];
  readonly calls: string[] = [];
  queues: readonly JobQueueSpec[] = [];
  drainDeadline: number | undefined;
  openedWith: JobsBackendContext | undefined;
  /** Makes `open()` reject with this error. */
  failOpen: Error | undefined;
  #clock?: Clock;
  #seq = 0;
  #claiming = false;
  #timer?: TimerHandle;
  readonly #running = new Set<Running>();

  async open(context: JobsBackendContext): Promise<void> {
    this.calls.push('open');
    if (this.failOpen !== undefined) throw this.failOpen;
    this.openedWith = context;
    this.#clock = context.clock;
  }

  async enqueue(job: NewJob): Promise<string> {
    this.calls.push('enqueue');
    this.enqueued.push(job);
    if (job.key !== undefined) {
      for (const stored of this.jobs.values()) {
        const live = stored.state === 'pending' || stored.state === 'delayed' || stored.state === 'running';
        if (live && stored.name === job.name && stored.key === job.key) return stored.id;
      }
    }
    const id = String(++this.#seq);
    this.jobs.set(id, {
      id,
      name: job.name,
      state: job.runAt > this.#clock!.now() ? 'delayed' : 'pending',
      payload: job.payload,
      ...(job.key === undefined ? {} : { key: job.key }),
      attempts: 0,
      maxAttempts: job.maxAttempts,
      enqueuedAt: job.enqueuedAt,
      runAt: job.runAt,
      history: [],
    });
    this.#pump();
    return id;
  }

  async get(id: string): Promise<JobInfo | undefined> {
    this.calls.push(`get ${id}`);
    const job = this.jobs.get(id);
    return job === undefined ? undefined : info(job);
  }

  async list(query: { limit: number; state?: JobState; name?: string; cursor?: string }) {
    this.calls.push(`list ${JSON.stringify(query)}`);
    const after = query.cursor === undefined ? 0 : Number(query.cursor);
    const matching = [...this.jobs.values()].filter(
      (job) =>
        Number(job.id) > after &&
        (query.state === undefined || job.state === query.state) &&
        (query.name === undefined || job.name === query.name),
    );
    const page = matching.slice(0, query.limit);
    const more = matching.length > page.length;
    return { jobs: page.map(info), ...(more ? { cursor: page.at(-1)!.id } : {}) };
  }

  async counts(): Promise<JobCounts> {
    this.calls.push('counts');
    const counts = { pending: 0, delayed: 0, running: 0, completed: 0, dead: 0 };
    for (const job of this.jobs.values()) counts[job.state]++;
    return counts;
  }

  async retry(id: string): Promise<boolean> {
    this.calls.push(`retry ${id}`);
    const job = this.jobs.get(id);
    if (job?.state !== 'dead') return false;
    Object.assign(job, { state: 'pending', attempts: 0, runAt: this.#clock!.now() });
    this.#pump();
    return true;
  }

  async cancel(id: string): Promise<boolean> {
    this.calls.push(`cancel ${id}`);
    const job = this.jobs.get(id);
    if (job?.state !== 'pending' && job?.state !== 'delayed') return false;
    Object.assign(job, { state: 'dead', lastError: 'cancelled', finishedAt: this.#clock!.now() });
    return true;
  }

  async work(queues: readonly JobQueueSpec[]): Promise<void> {
    this.calls.push(`work ${queues.map((queue) => queue.name).join(',')}`);
    this.queues = queues;
    this.#claiming = true;
    this.#pump();
  }

  async drain(deadline: number): Promise<JobsDrainReport> {
    this.calls.push('drain');
    this.drainDeadline = deadline;
    this.#claiming = false;
    this.#timer?.cancel();
    const clock = this.#clock!;
    const before = this.#running.size;
    if (this.#running.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = clock.setTimer(Math.max(0, deadline - clock.now()), () => resolve());
        void Promise.all([...this.#running].map((run) => run.done)).then(() => {
          timer.cancel();
          resolve();
        });
      });
    }
    const cut = [...this.#running];
    for (const run of cut) run.controller.abort(new Error('drained'));
    for (let turn = 0; turn < 10; turn++) await Promise.resolve();
    const abandoned = cut.filter((run) => !run.settled).map((run) => run.claimed);
    for (const run of cut) this.#requeue(run);
    return { drained: before - cut.length, returned: cut.length, abandoned };
  }

  async close(): Promise<void> {
    this.calls.push('close');
    this.#claiming = false;
    this.#timer?.cancel();
  }

  /** Claims what is due, up to each queue's concurrency, and arms one timer for the next delayed job. */
  #pump(): void {
    if (!this.#claiming) return;
    const now = this.#clock!.now();
    for (const job of this.jobs.values()) if (job.state === 'delayed' && job.runAt <= now) job.state = 'pending';
    const due = [...this.jobs.values()].filter((job) => job.state === 'pending').sort((a, b) => a.runAt - b.runAt);
    for (const job of due) {
      const queue = this.queues.find((spec) => spec.name === job.name);
      if (queue === undefined) continue;
      const busy = [...this.#running].filter((run) => run.job.name === job.name).length;
      if (busy >= queue.concurrency) continue;
      this.#claim(job, queue);
    }
    const next = [...this.jobs.values()].filter((job) => job.state === 'delayed').sort((a, b) => a.runAt - b.runAt)[0];
    this.#timer?.cancel();
    this.#timer = next === undefined ? undefined : this.#clock!.setTimer(next.runAt - now, () => this.#pump());
  }

  #claim(job: StoredJob, queue: JobQueueSpec): void {
    const clock = this.#clock!;
    job.state = 'running';
    const claimed: ClaimedJob = {
      id: job.id,
      name: job.name,
      payload: JSON.parse(job.payload),
      attempt: job.attempts + 1,
      enqueuedAt: job.enqueuedAt,
    };
    const controller = new AbortController();
    const startedAt = clock.now();
    const run: Running = {
      job,
      claimed,
      controller,
      settled: false,
      done: queue.run(claimed, controller.signal).then(
        () => {
          run.settled = true;
          if (!this.#running.delete(run)) return;
          Object.assign(job, { state: 'completed', finishedAt: clock.now(), attempts: claimed.attempt });
          job.history.push({ attempt: claimed.attempt, startedAt, finishedAt: clock.now() });
          this.#pump();
        },
        (error: unknown) => {
          run.settled = true;
          if (!this.#running.delete(run)) return;
          const message = error instanceof Error ? error.message : String(error);
          job.attempts = claimed.attempt;
          job.lastError = message;
          job.history.push({ attempt: claimed.attempt, startedAt, finishedAt: clock.now(), error: message });
          if (job.attempts < job.maxAttempts) {
            Object.assign(job, { state: 'delayed', runAt: clock.now() + queue.backoff(claimed.attempt) });
          } else {
            Object.assign(job, { state: 'dead', finishedAt: clock.now() });
          }
          this.#pump();
        },
      ),
    };
    this.#running.add(run);
  }

  #requeue(run: Running): void {
    this.#running.delete(run);
    run.job.state = 'pending';
  }
}

function info(job: StoredJob): JobInfo {
  return { ...job, payload: JSON.parse(job.payload), history: [...job.history] };
}
