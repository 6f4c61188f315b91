/**
 * The contract every job engine keeps (src/jobs/jobs-backend.ts), as one suite that each engine runs against its own
 * store: `describeJobsBackendContract('sqlite', harness)` in a test file of the engine. Each behaviour is one test;
 * the timings are small and come from the harness, so that an engine on the system clock runs it in real time.
 */
import type { JobInfo, JobState } from '../../../src/jobs/index.js';
import type { JobQueueSpec, JobsBackend, JobsDrainReport, NewJob } from '../../../src/jobs/internal.js';
import { Handler, queueSpec, RecordingLogger } from './contract-runs.js';
import { contractTime, FreezableClock, type ContractTime } from './contract-time.js';

/** What an engine's test file gives the suite. */
export interface ContractHarness {
  /** `virtual`: the engine runs on the Clock it is opened with; `real`: it reads the system clock. */
  readonly time: 'virtual' | 'real';
  /** How long a claim holds in the backends the harness makes, ms (short in real mode, e.g. 1 s). */
  readonly lease: number;
  /**
   * The longest, past a lapsed lease, before another worker claims the job again: its polling or stalled-job check,
   * ms (the suite waits this plus the lease).
   */
  readonly recovery: number;
  /** A fresh, empty store, on which several backends may be made (as several processes would share it). */
  openStore(options: { keepCompleted: number }): Promise<ContractStore>;
  /**
   * Makes a backend behave as if its process died: it renews no lease and claims nothing more, and its handlers'
   * outcomes arrive too late. Without it, the suite freezes the Clock the backend was opened with, which is enough
   * for an engine whose every timer is on that Clock.
   */
  crash?(backend: JobsBackend): Promise<void>;
}

/** A store of the contract suite: one SQLite file, one Redis prefix. */
export interface ContractStore {
  /** A new backend on the store, not opened yet. */
  backend(): JobsBackend;
  /** Removes the store, once every backend on it is closed. */
  dispose(): Promise<void>;
}

const NAME = 'contract.email';
const OTHER = 'contract.report';

/** Runs the shared contract suite against one engine. */
export function describeJobsBackendContract(engine: string, harness: ContractHarness): void {
  const virtual = harness.time === 'virtual';
  /** The delays the suite uses, small in real time. */
  const backoffBase = virtual ? 1_000 : 50;
  const keepCompleted = virtual ? 60_000 : 500;
  const lease = harness.lease;

  describe(`the ${engine} jobs backend (contract)`, () => {
    let time: ContractTime;
    let store: ContractStore;
    let logger: RecordingLogger;
    let opened: Array<{ backend: JobsBackend; clock: FreezableClock }>;
    /** The backends a test drained itself: drain is called once. */
    let drained: Set<JobsBackend>;

    beforeEach(async () => {
      time = contractTime(harness.time);
      logger = new RecordingLogger();
      opened = [];
      drained = new Set();
      store = await harness.openStore({ keepCompleted });
    });

    afterEach(async () => {
      for (const { backend } of opened) {
        if (!drained.has(backend)) {
          const report = backend.drain(time.clock.now());
          await time.pass(0);
          await report;
        }
        await backend.close();
      }
      await store.dispose();
    });

    /** A backend on the store, opened on its own freezable view of the suite's clock. */
    async function backend(): Promise<JobsBackend> {
      const made = store.backend();
      const clock = new FreezableClock(time.clock);
      await made.open({ clock, logger });
      opened.push({ backend: made, clock });
      return made;
    }

    async function crash(dead: JobsBackend): Promise<void> {
      if (harness.crash) await harness.crash(dead);
      else opened.find((entry) => entry.backend === dead)!.clock.freeze();
    }

    function job(overrides: Partial<NewJob> = {}): NewJob {
      const now = time.clock.now();
      return {
        name: NAME,
        payload: '{"to":"ada@example.com"}',
        runAt: now,
        enqueuedAt: now,
        maxAttempts: 3,
        ...overrides,
      };
    }

    async function stateOf(on: JobsBackend, id: string): Promise<JobState | undefined> {
      return (await on.get(id))?.state;
    }

    async function untilState(on: JobsBackend, id: string, state: JobState, within = 0): Promise<JobInfo> {
      await time.until(`job ${id} to be ${state}`, async () => (await stateOf(on, id)) === state, within);
      return (await on.get(id))!;
    }

    async function untilRuns(handler: Handler, count: number, within = 0): Promise<void> {
      await time.until(`${count} handler runs`, () => handler.runs.length >= count, within);
    }

    function drain(on: JobsBackend, deadline: number): Promise<JobsDrainReport> {
      drained.add(on);
      return on.drain(deadline);
    }

    async function work(on: JobsBackend, ...specs: JobQueueSpec[]): Promise<void> {
      await on.work(specs);
    }

    describe('enqueue', () => {
      it('adds a job due now as pending, with the fields it was given', async () => {
        const jobs = await backend();
        const now = time.clock.now();

        // The job carries this `now`: in real time a second clock read may be a millisecond later.
        const id = await jobs.enqueue(job({ key: 'welcome-1', maxAttempts: 5, runAt: now, enqueuedAt: now }));

        expect(await jobs.get(id)).toEqual({
          id,
          name: NAME,
          state: 'pending',
          payload: { to: 'ada@example.com' },
          key: 'welcome-1',
          attempts: 0,
          maxAttempts: 5,
          enqueuedAt: now,
          runAt: now,
          history: [],
        });
      });

      it('adds a job due later as delayed', async () => {
        const jobs = await backend();

        const id = await jobs.enqueue(job({ runAt: time.clock.now() + 10 * backoffBase }));

        expect(await stateOf(jobs, id)).toBe('delayed');
      });

      it('returns the same id for the same name and key while the job is pending, and adds nothing', async () => {
        const jobs = await backend();
        const first = await jobs.enqueue(job({ key: 'k' }));

        const second = await jobs.enqueue(job({ key: 'k', payload: '{"to":"grace@example.com"}' }));

        expect({ second, pending: (await jobs.counts()).pending }).toEqual({ second: first, pending: 1 });
      });

      it('returns the same id for the same name and key while the job is running', async () => {
        const jobs = await backend();
        const handler = new Handler();
        const first = await jobs.enqueue(job({ key: 'k' }));
        await work(jobs, queueSpec(NAME, handler));
        await untilRuns(handler, 1);

        const second = await jobs.enqueue(job({ key: 'k' }));

        expect({ second, counts: await jobs.counts() }).toEqual({
          second: first,
          counts: { pending: 0, delayed: 0, running: 1, completed: 0, dead: 0 },
        });
      });

      it('adds a new job for a key whose job already completed', async () => {
        const jobs = await backend();
        const first = await jobs.enqueue(job({ key: 'k' }));
        await work(jobs, queueSpec(NAME, new Handler({ auto: 'resolve' })));
        await untilState(jobs, first, 'completed');

        const second = await jobs.enqueue(job({ key: 'k' }));

        expect(second).not.toBe(first);
      });

      it('keeps keys apart by job name', async () => {
        const jobs = await backend();
        const first = await jobs.enqueue(job({ key: 'k' }));

        const second = await jobs.enqueue(job({ name: OTHER, key: 'k' }));

        expect(second).not.toBe(first);
      });
    });

    describe('claiming', () => {
      it('runs a job with its payload, attempt 1 and enqueue time', async () => {
        const jobs = await backend();
        const handler = new Handler();
        const now = time.clock.now();
        const id = await jobs.enqueue(job({ runAt: now, enqueuedAt: now }));

        await work(jobs, queueSpec(NAME, handler));
        await untilRuns(handler, 1);

        expect(handler.runs[0]!.job).toEqual({
          id,
          name: NAME,
          payload: { to: 'ada@example.com' },
          attempt: 1,
          enqueuedAt: now,
        });
      });

      it('runs only the jobs of the names it works', async () => {
        const jobs = await backend();
        const handler = new Handler({ auto: 'resolve' });
        const mine = await jobs.enqueue(job());
        const other = await jobs.enqueue(job({ name: OTHER }));

        await work(jobs, queueSpec(NAME, handler));
        await untilState(jobs, mine, 'completed');

        expect({ ran: handler.ids, other: await stateOf(jobs, other) }).toEqual({ ran: [mine], other: 'pending' });
      });

      it('wakes its workers at once when a job is enqueued after they started', async () => {
        const jobs = await backend();
        const handler = new Handler();
        await work(jobs, queueSpec(NAME, handler));
        await time.pass(0);

        const id = await jobs.enqueue(job());
        await untilRuns(handler, 1);

        expect(handler.ids).toEqual([id]);
      });

      it('claims due jobs oldest runAt first', async () => {
        const jobs = await backend();
        const handler = new Handler({ auto: 'resolve' });
        const now = time.clock.now();
        const third = await jobs.enqueue(job({ runAt: now + 3 * backoffBase }));
        const first = await jobs.enqueue(job({ runAt: now + backoffBase }));
        const second = await jobs.enqueue(job({ runAt: now + 2 * backoffBase }));
        await time.pass(4 * backoffBase);

        await work(jobs, queueSpec(NAME, handler));
        await untilRuns(handler, 3);

        expect(handler.ids).toEqual([first, second, third]);
      });

      it('claims pending jobs in the order they were enqueued', async () => {
        const jobs = await backend();
        const handler = new Handler({ auto: 'resolve' });
        const ids = [];
        for (let i = 0; i < 4; i++) ids.push(await jobs.enqueue(job({ payload: `{"n":${i}}` })));

        await work(jobs, queueSpec(NAME, handler));
        await untilRuns(handler, 4);

        expect(handler.ids).toEqual(ids);
      });

      it('does not run a delayed job before its runAt, and runs it once due', async () => {
        const jobs = await backend();
        const handler = new Handler();
        const id = await jobs.enqueue(job({ runAt: time.clock.now() + 4 * backoffBase }));
        await work(jobs, queueSpec(NAME, handler));

        await time.pass(2 * backoffBase);
        const early = handler.runs.length;
        await untilRuns(handler, 1, 3 * backoffBase);

        expect({ early, ran: handler.ids }).toEqual({ early: 0, ran: [id] });
      });

      it('runs no more jobs of a name at once than its concurrency', async () => {
        const jobs = await backend();
        const handler = new Handler();
        for (let i = 0; i < 5; i++) await jobs.enqueue(job({ payload: `{"n":${i}}` }));

        await work(jobs, queueSpec(NAME, handler, { concurrency: 2 }));
        await untilRuns(handler, 2);
        await time.pass(backoffBase);

        expect({ runs: handler.runs.length, running: (await jobs.counts()).running }).toEqual({ runs: 2, running: 2 });
      });

      it('starts the next job when a run ends and frees a slot', async () => {
        const jobs = await backend();
        const handler = new Handler();
        for (let i = 0; i < 3; i++) await jobs.enqueue(job({ payload: `{"n":${i}}` }));
        await work(jobs, queueSpec(NAME, handler, { concurrency: 2 }));
        await untilRuns(handler, 2);

        handler.runs[0]!.resolve();
        await untilRuns(handler, 3);

        expect(handler.open.length).toBe(2);
      });
    });

    describe("an attempt's outcome", () => {
      it('completes a job whose run resolves, with one attempt in its history', async () => {
        const jobs = await backend();
        const handler = new Handler();
        const id = await jobs.enqueue(job());
        await work(jobs, queueSpec(NAME, handler));
        await untilRuns(handler, 1);
        const startedAt = time.clock.now();

        await time.pass(backoffBase);
        handler.runs[0]!.resolve();
        const info = await untilState(jobs, id, 'completed');

        expect(info).toMatchObject({ attempts: 1, history: [{ attempt: 1 }] });
        expect(info.history[0]!.error).toBeUndefined();
        expect(info.finishedAt).toBe(info.history[0]!.finishedAt);
        expect(info.history[0]!.startedAt).toBeGreaterThanOrEqual(startedAt - time.tolerance);
        expect(info.history[0]!.finishedAt - info.history[0]!.startedAt).toBeGreaterThanOrEqual(
          backoffBase - time.tolerance,
        );
      });

      it('delays a job whose run rejects by the backoff of that attempt, keeping its error', async () => {
        const jobs = await backend();
        const id = await jobs.enqueue(job());
        const backoff = (attempt: number): number => attempt * 2 * backoffBase;
        await work(jobs, queueSpec(NAME, new Handler({ auto: { reject: 'smtp timeout' } }), { backoff }));

        const info = await untilState(jobs, id, 'delayed');

        expect(info).toMatchObject({
          attempts: 1,
          lastError: 'smtp timeout',
          history: [{ attempt: 1, error: 'smtp timeout' }],
        });
        expect(Math.abs(info.runAt - (info.history[0]!.finishedAt + 2 * backoffBase))).toBeLessThanOrEqual(
          time.tolerance,
        );
      });

      it('runs a failed job again once its backoff passed, as the next attempt', async () => {
        const jobs = await backend();
        const handler = new Handler({ auto: { reject: 'smtp timeout' } });
        await jobs.enqueue(job());
        await work(jobs, queueSpec(NAME, handler, { backoff: () => backoffBase }));
        await untilRuns(handler, 1);

        await untilRuns(handler, 2, 2 * backoffBase);

        expect(handler.runs.map((run) => run.job.attempt)).toEqual([1, 2]);
      });

      it('makes a job dead after its last attempt, with its last error and every attempt in its history', async () => {
        const jobs = await backend();
        let failures = 0;
        const handler = new Handler();
        const id = await jobs.enqueue(job({ maxAttempts: 3 }));
        await work(jobs, {
          ...queueSpec(NAME, handler, { attempts: 3, backoff: () => backoffBase }),
          run: () => Promise.reject(new Error(`failure ${++failures}`)),
        });

        const info = await untilState(jobs, id, 'dead', 4 * backoffBase);

        expect(info).toMatchObject({
          attempts: 3,
          lastError: 'failure 3',
          history: [
            { attempt: 1, error: 'failure 1' },
            { attempt: 2, error: 'failure 2' },
            { attempt: 3, error: 'failure 3' },
          ],
        });
        expect(info.finishedAt).toBe(info.history[2]!.finishedAt);
      });
    });

    describe('retry and cancel', () => {
      /** A job that died on its one attempt; its runs after a retry go to `later`, which by default fails them too. */
      async function deadJob(jobs: JobsBackend, options: { key?: string; later?: Handler } = {}): Promise<string> {
        const later = options.later ?? new Handler({ auto: { reject: 'bounced' } });
        const id = await jobs.enqueue(
          job({ maxAttempts: 1, ...(options.key === undefined ? {} : { key: options.key }) }),
        );
        let died = false;
        await work(jobs, {
          ...queueSpec(NAME, later, { attempts: 1 }),
          run: (claimed, signal) => (died ? later.run(claimed, signal) : Promise.reject(new Error('bounced'))),
        });
        await untilState(jobs, id, 'dead');
        died = true;
        return id;
      }

      it('makes a dead job pending again with its attempts reset, and it runs again as attempt 1', async () => {
        const jobs = await backend();
        const handler = new Handler();
        const id = await deadJob(jobs, { later: handler });

        const retried = await jobs.retry(id);
        await untilRuns(handler, 1, backoffBase);

        expect({ retried, attempt: handler.runs[0]!.job.attempt }).toEqual({ retried: true, attempt: 1 });
        expect(await jobs.get(id)).toMatchObject({ state: 'running', attempts: 0 });
      });

      it('gives a retried dead job its key back: a same-key enqueue returns its id', async () => {
        const jobs = await backend();
        const id = await deadJob(jobs, { key: 'k', later: new Handler() });

        const retried = await jobs.retry(id);
        const again = await jobs.enqueue(job({ key: 'k' }));

        expect({ retried, again }).toEqual({ retried: true, again: id });
      });

      it('refuses to retry a dead job whose key a newer live job holds', async () => {
        const jobs = await backend();
        const id = await deadJob(jobs, { key: 'k' });
        const newer = await jobs.enqueue(job({ key: 'k', runAt: time.clock.now() + 3_600_000 }));

        const retried = await jobs.retry(id);

        expect({ newer: newer === id ? 'the same' : 'another', retried, state: await stateOf(jobs, id) }).toEqual({
          newer: 'another',
          retried: false,
          state: 'dead',
        });
      });

      it('retries only dead jobs', async () => {
        const jobs = await backend();
        const pending = await jobs.enqueue(job());

        const answers = [await jobs.retry(pending), await jobs.retry('no-such-job')];

        expect({ answers, state: await stateOf(jobs, pending) }).toEqual({ answers: [false, false], state: 'pending' });
      });

      it('cancels a pending job: dead, with lastError "cancelled"', async () => {
        const jobs = await backend();
        const id = await jobs.enqueue(job());

        const cancelled = await jobs.cancel(id);

        expect({ cancelled, info: await jobs.get(id) }).toMatchObject({
          cancelled: true,
          info: { state: 'dead', lastError: 'cancelled', attempts: 0 },
        });
      });

      it('cancels a delayed job, which then never runs', async () => {
        const jobs = await backend();
        const handler = new Handler();
        const id = await jobs.enqueue(job({ runAt: time.clock.now() + backoffBase }));
        await work(jobs, queueSpec(NAME, handler));

        const cancelled = await jobs.cancel(id);
        await time.pass(2 * backoffBase);

        expect({ cancelled, runs: handler.runs.length, state: await stateOf(jobs, id) }).toEqual({
          cancelled: true,
          runs: 0,
          state: 'dead',
        });
      });

      it('does not cancel a running, completed or dead job, nor an unknown id', async () => {
        const jobs = await backend();
        const dead = await deadJob(jobs);
        const handler = new Handler();
        const completed = await jobs.enqueue(job({ name: OTHER }));
        const running = await jobs.enqueue(job({ name: OTHER }));
        // work() is called once per backend: the second name runs on a second backend of the store.
        const other = await backend();
        await work(other, {
          ...queueSpec(OTHER, handler),
          run: (claimed, signal) => (claimed.id === completed ? Promise.resolve() : handler.run(claimed, signal)),
        });
        await untilState(jobs, running, 'running', backoffBase);
        await untilState(jobs, completed, 'completed');

        const answers = await Promise.all([running, completed, dead, 'no-such-job'].map((id) => jobs.cancel(id)));

        expect(answers).toEqual([false, false, false, false]);
      });
    });

    describe('reading jobs', () => {
      it('counts the jobs in each state', async () => {
        const jobs = await backend();
        const handler = new Handler();
        await jobs.enqueue(job({ name: OTHER }));
        await jobs.enqueue(job({ name: OTHER }));
        await jobs.enqueue(job({ name: OTHER, runAt: time.clock.now() + 100 * backoffBase }));
        const cancelled = await jobs.enqueue(job({ name: OTHER }));
        await jobs.cancel(cancelled);
        const done = await jobs.enqueue(job());
        await jobs.enqueue(job());
        await work(jobs, {
          ...queueSpec(NAME, handler),
          run: (claimed, signal) => (claimed.id === done ? Promise.resolve() : handler.run(claimed, signal)),
        });
        await untilRuns(handler, 1, backoffBase);

        expect(await jobs.counts()).toEqual({ pending: 2, delayed: 1, running: 1, completed: 1, dead: 1 });
      });

      it('returns undefined for an unknown id', async () => {
        const jobs = await backend();

        expect(await jobs.get('no-such-job')).toBeUndefined();
      });

      it('lists jobs in enqueue order, a page at a time, with a cursor until the last page', async () => {
        const jobs = await backend();
        const ids = [];
        for (let i = 0; i < 5; i++) ids.push(await jobs.enqueue(job({ payload: `{"n":${i}}` })));

        const first = await jobs.list({ limit: 2 });
        const second = await jobs.list({ limit: 2, cursor: first.cursor });
        const third = await jobs.list({ limit: 2, cursor: second.cursor });

        expect([first, second, third].map((page) => page.jobs.map((info) => info.id))).toEqual([
          ids.slice(0, 2),
          ids.slice(2, 4),
          ids.slice(4),
        ]);
        expect([first.cursor, second.cursor, third.cursor].map((cursor) => typeof cursor)).toEqual([
          'string',
          'string',
          'undefined',
        ]);
      });

      it('lists only the jobs of the state and name asked for', async () => {
        const jobs = await backend();
        const mine = await jobs.enqueue(job());
        await jobs.enqueue(job({ name: OTHER }));
        const cancelled = await jobs.enqueue(job());
        await jobs.cancel(cancelled);

        const pendingOfName = await jobs.list({ limit: 10, state: 'pending', name: NAME });
        const dead = await jobs.list({ limit: 10, state: 'dead' });

        expect([pendingOfName.jobs.map((info) => info.id), dead.jobs.map((info) => info.id)]).toEqual([
          [mine],
          [cancelled],
        ]);
      });
    });

    describe('keepCompleted', () => {
      it('removes completed jobs once older than keepCompleted, and keeps younger ones', async () => {
        const jobs = await backend();
        const handler = new Handler({ auto: 'resolve' });
        const old = await jobs.enqueue(job());
        await work(jobs, queueSpec(NAME, handler));
        await untilState(jobs, old, 'completed');
        await time.pass(keepCompleted / 2);
        const keptBefore = (await jobs.get(old)) !== undefined;

        await time.pass(keepCompleted / 2 + 1);
        const young = await jobs.enqueue(job());
        await untilState(jobs, young, 'completed');
        await time.until(
          'the old completed job to be removed',
          async () => (await jobs.get(old)) === undefined,
          keepCompleted,
        );

        expect({ keptBefore, young: await stateOf(jobs, young) }).toEqual({ keptBefore: true, young: 'completed' });
      });
    });

    describe('leases', () => {
      it('renews the lease of a long run, so that no other worker claims the job', async () => {
        const first = await backend();
        const second = await backend();
        const mine = new Handler();
        const theirs = new Handler();
        const id = await first.enqueue(job());
        await work(first, queueSpec(NAME, mine));
        await untilRuns(mine, 1);
        await work(second, queueSpec(NAME, theirs));

        await time.pass(3 * lease + harness.recovery);
        mine.runs[0]!.resolve();
        const info = await untilState(first, id, 'completed');

        expect({ theirs: theirs.runs.length, attempts: info.attempts }).toEqual({ theirs: 0, attempts: 1 });
      });

      it("claims a dead worker's job again once its lease lapsed, without counting an attempt", async () => {
        const dead = await backend();
        const alive = await backend();
        const before = new Handler();
        const after = new Handler({ auto: 'resolve' });
        const id = await dead.enqueue(job());
        await work(dead, queueSpec(NAME, before));
        await untilRuns(before, 1);
        await crash(dead);

        await work(alive, queueSpec(NAME, after));
        const info = await untilState(alive, id, 'completed', lease + harness.recovery);

        expect({ attempt: after.runs[0]!.job.attempt, attempts: info.attempts, history: info.history.length }).toEqual({
          attempt: 1,
          attempts: 1,
          history: 1,
        });
      });

      it('refuses the completion of a worker whose lease was taken over, and logs it', async () => {
        const dead = await backend();
        const alive = await backend();
        const before = new Handler();
        const after = new Handler();
        const id = await dead.enqueue(job());
        await work(dead, queueSpec(NAME, before));
        await untilRuns(before, 1);
        await crash(dead);
        await work(alive, queueSpec(NAME, after));
        await untilRuns(after, 1, lease + harness.recovery);

        before.runs[0]!.resolve();
        await time.until('the refusal to be logged', () => logger.complainedAbout(id), backoffBase);

        expect(await alive.get(id)).toMatchObject({ state: 'running', attempts: 0, history: [] });
      });

      it('refuses the failure of a worker whose lease was taken over', async () => {
        const dead = await backend();
        const alive = await backend();
        const before = new Handler();
        const after = new Handler();
        const id = await dead.enqueue(job());
        await work(dead, queueSpec(NAME, before));
        await untilRuns(before, 1);
        await crash(dead);
        await work(alive, queueSpec(NAME, after));
        await untilRuns(after, 1, lease + harness.recovery);

        before.runs[0]!.reject('too late');
        await time.until('the refusal to be logged', () => logger.complainedAbout(id), backoffBase);
        after.runs[0]!.resolve();
        const info = await untilState(alive, id, 'completed');

        expect({ attempts: info.attempts, lastError: info.lastError }).toEqual({ attempts: 1, lastError: undefined });
      });
    });

    describe('drain', () => {
      it('claims no new job once draining', async () => {
        const jobs = await backend();
        const handler = new Handler();
        await work(jobs, queueSpec(NAME, handler));
        await time.pass(0);

        await drain(jobs, time.clock.now());
        const id = await jobs.enqueue(job());
        await time.pass(2 * backoffBase);

        expect({ runs: handler.runs.length, state: await stateOf(jobs, id) }).toEqual({ runs: 0, state: 'pending' });
      });

      it('lets a run that ends before the deadline complete its job', async () => {
        const jobs = await backend();
        const handler = new Handler();
        const id = await jobs.enqueue(job());
        await work(jobs, queueSpec(NAME, handler));
        await untilRuns(handler, 1);

        const report = drain(jobs, time.clock.now() + 4 * backoffBase);
        await time.pass(backoffBase);
        handler.runs[0]!.resolve();
        const settled = await report;

        expect({ report: settled, state: await stateOf(jobs, id) }).toEqual({
          report: { drained: 1, returned: 0, abandoned: [] },
          state: 'completed',
        });
      });

      it('aborts the runs still going at the deadline and returns their jobs to pending, unattempted', async () => {
        const jobs = await backend();
        const handler = new Handler();
        const id = await jobs.enqueue(job());
        await work(jobs, queueSpec(NAME, handler));
        await untilRuns(handler, 1);

        const report = drain(jobs, time.clock.now() + 2 * backoffBase);
        await time.pass(2 * backoffBase);
        const settled = await report;

        expect({ aborted: handler.runs[0]!.signal.aborted, report: settled }).toEqual({
          aborted: true,
          report: { drained: 0, returned: 1, abandoned: [] },
        });
        expect(await jobs.get(id)).toMatchObject({ state: 'pending', attempts: 0, history: [] });
      });

      it('does not wait past the deadline for a run that ignores its abort, and reports it abandoned', async () => {
        const jobs = await backend();
        const handler = new Handler({ honourAbort: false });
        const id = await jobs.enqueue(job());
        await work(jobs, queueSpec(NAME, handler));
        await untilRuns(handler, 1);
        let settled = false;

        const report = drain(jobs, time.clock.now() + 2 * backoffBase).finally(() => (settled = true));
        await time.until('the drain to settle', () => settled, 2 * backoffBase);

        expect(await report).toMatchObject({ returned: 1, abandoned: [{ id }] });
        expect(await jobs.get(id)).toMatchObject({ state: 'pending', attempts: 0 });
      });

      it('ignores the outcome of an abandoned run that settles after the drain', async () => {
        const jobs = await backend();
        const handler = new Handler({ honourAbort: false });
        const id = await jobs.enqueue(job());
        await work(jobs, queueSpec(NAME, handler));
        await untilRuns(handler, 1);
        const report = drain(jobs, time.clock.now());
        await time.pass(0);
        await report;

        handler.runs[0]!.resolve();
        await time.pass(backoffBase);

        expect(await jobs.get(id)).toMatchObject({ state: 'pending', attempts: 0, history: [] });
      });
    });
  });
}
