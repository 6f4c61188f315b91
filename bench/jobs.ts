/**
 * Durable jobs: 10,000 no-op jobs enqueued, then processed at concurrency 8, through Ordo's SQLite engine and through
 * better-sqlite3 used directly with the same schema, the same claim statement (one UPDATE … RETURNING under BEGIN
 * IMMEDIATE) and the same fenced completion — what a team would write by hand. Target: Ordo ≥ 0.8× the raw
 * throughput. Also the enqueue rate with `synchronous=FULL` (the default: an fsync per commit) and `NORMAL`.
 *
 * The Ordo side is an app: `Jobs.enqueue` (which checks the name and the payload and serialises it) and a `@Job`
 * handler run through the jobs runtime (its attempt runner, its context), on the SQLite engine. Each
 * round uses a fresh file per side; enqueues alternate between the sides in chunks of 500 (the disk's load, shared
 * with whatever else runs, then falls on both alike), processing alternates which side goes first, and the median of
 * the rounds is reported.
 *
 * The BullMQ side (Ordo on BullMQ vs BullMQ's own Queue/Worker) is its own module, bench/jobs-bullmq.ts, from the
 * BullMQ engine's branch; `npm run bench -- jobs` runs both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { Container } from 'inversify';
import { Component, Job, Jobs, Logger, Ordo, SilentLogger, SystemClock } from '../src/index.js';
import { CLAIM_SQL, migrate } from '../src/jobs/engines/sqlite/index.js';
import { type BenchRow, median } from './report.js';

const JOBS = 10_000;
const CONCURRENCY = 8;
const ROUNDS = 3;
const NAME = 'bench.noop';
type Synchronous = 'FULL' | 'NORMAL';

/** One side's figures: milliseconds to enqueue every job, then to process them all. */
interface Run {
  enqueueMs: number;
  processMs: number;
}

/** One side of a round, on a fresh file of its own. */
interface Side {
  /** Enqueues jobs `from` to `from + count - 1`, one commit each. */
  enqueue(from: number, count: number): Promise<void>;
  /** Processes every job enqueued, at concurrency 8, and returns once all are completed. */
  process(): Promise<void>;
  close(): Promise<void>;
}

/** Enqueues alternate between the sides in chunks of this many, so that both see the same load on the disk. */
const ENQUEUE_CHUNK = 500;

const clock = new SystemClock();

function freshFile(): { path: string; dispose(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'ordo-bench-jobs-'));
  return { path: join(folder, 'jobs.db'), dispose: () => rmSync(folder, { recursive: true, force: true }) };
}

/** How many no-op jobs the app's handler ran, and who waits for the last. */
const noops = { ran: 0, onAll: (): void => {} };

@Component()
class NoopJobs {
  @Job(NAME, { concurrency: CONCURRENCY })
  async noop(payload: { n: number }): Promise<void> {
    void payload;
    if (++noops.ran === JOBS) noops.onAll();
  }
}

/** Ordo: an app with one `@Job` on the SQLite engine, fed through `Jobs.enqueue`, processing once started. */
async function ordoSide(synchronous: Synchronous): Promise<Side> {
  const file = freshFile();
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Logger).toConstantValue(new SilentLogger());
  container.bind(NoopJobs).toSelf();
  const app = await Ordo.create(container, { jobs: { sqlite: { path: file.path, synchronous } } });
  const jobs = app.get(Jobs);
  return {
    async enqueue(from, count) {
      for (let i = from; i < from + count; i++) await jobs.enqueue(NAME, { n: i });
    },
    async process() {
      noops.ran = 0;
      const finished = new Promise<void>((resolve) => (noops.onAll = resolve));
      await app.start();
      await finished;
      // The last completion is written right after its handler resolves; wait for it rather than guess.
      while ((await jobs.counts()).completed < JOBS) await nextTurn();
    },
    async close() {
      await app.stop();
      file.dispose();
    },
  };
}

/** better-sqlite3 by hand: the same schema, claim and completion statements, `CONCURRENCY` jobs at a time. */
async function rawSide(synchronous: Synchronous): Promise<Side> {
  const file = freshFile();
  const db = new Database(file.path, { timeout: 5_000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  migrate(db);
  const insert = db.prepare(`
    INSERT INTO ordo_jobs (name, payload, key, state, max_attempts, enqueued_at, run_at)
    VALUES (:name, :payload, NULL, 'pending', 3, :now, :now) ON CONFLICT DO NOTHING RETURNING id`);
  const enqueue = db.transaction((payload: string, now: number) => insert.get({ name: NAME, payload, now }));
  const claimStatement = db.prepare(CLAIM_SQL);
  const claim = db.transaction((token: string, now: number) =>
    claimStatement.all({ name: NAME, now, leaseUntil: now + 30_000, token, limit: CONCURRENCY }),
  );
  const complete = db.prepare(`
    UPDATE ordo_jobs SET state = 'completed', attempts = attempts + 1, finished_at = :now, lease_until = NULL,
           claim_token = NULL, history = json_insert(history, '$[#]', json(:entry))
     WHERE id = :id AND claim_token = :token`);
  const handler = async (payload: unknown): Promise<void> => void payload;
  return {
    async enqueue(from, count) {
      for (let i = from; i < from + count; i++) {
        enqueue.immediate(`{"n":${i}}`, clock.now());
        await Promise.resolve();
      }
    },
    async process() {
      let token = 0;
      // Claim a batch of up to CONCURRENCY due jobs, run them at once, complete each: with instant handlers, the
      // same commits per job as Ordo's worker, whose slots all free up together and are refilled by one claim.
      for (;;) {
        const claimToken = `t${token++}`;
        const startedAt = clock.now();
        const rows = claim.immediate(claimToken, startedAt) as Array<{ id: number; payload: string }>;
        if (rows.length === 0) break;
        await Promise.all(
          rows.map(async (row) => {
            await handler(JSON.parse(row.payload));
            const now = clock.now();
            const entry = JSON.stringify({ attempt: 1, startedAt, finishedAt: now });
            complete.run({ id: row.id, token: claimToken, now, entry });
          }),
        );
      }
      const completed = db.prepare("SELECT count(*) AS n FROM ordo_jobs WHERE state = 'completed'").get() as {
        n: number;
      };
      if (completed.n !== JOBS) throw new Error(`raw side completed ${completed.n} of ${JOBS} jobs`);
    },
    async close() {
      db.close();
      file.dispose();
    },
  };
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * One round on fresh files: the enqueues alternate between the sides chunk by chunk; then one side processes its
 * queue, then the other (`ordoFirst` says which).
 */
async function round(synchronous: Synchronous, ordoFirst: boolean): Promise<{ ordo: Run; raw: Run }> {
  const ordo = await ordoSide(synchronous);
  const raw = await rawSide(synchronous);
  try {
    const ordoRun: Run = { enqueueMs: 0, processMs: 0 };
    const rawRun: Run = { enqueueMs: 0, processMs: 0 };
    for (let from = 0; from < JOBS; from += ENQUEUE_CHUNK) {
      const count = Math.min(ENQUEUE_CHUNK, JOBS - from);
      const ordoTurn = async (): Promise<void> =>
        void (ordoRun.enqueueMs += await timed(() => ordo.enqueue(from, count)));
      const rawTurn = async (): Promise<void> => void (rawRun.enqueueMs += await timed(() => raw.enqueue(from, count)));
      const ordoChunkFirst = (from / ENQUEUE_CHUNK) % 2 === 0;
      for (const turn of ordoChunkFirst ? [ordoTurn, rawTurn] : [rawTurn, ordoTurn]) await turn();
    }
    const ordoProcess = async (): Promise<void> => void (ordoRun.processMs = await timed(() => ordo.process()));
    const rawProcess = async (): Promise<void> => void (rawRun.processMs = await timed(() => raw.process()));
    for (const turn of ordoFirst ? [ordoProcess, rawProcess] : [rawProcess, ordoProcess]) await turn();
    return { ordo: ordoRun, raw: rawRun };
  } finally {
    await ordo.close();
    await raw.close();
  }
}

/** Runs `ROUNDS` rounds, alternating which side processes first; the median of each figure. */
async function alternate(synchronous: Synchronous): Promise<{ ordo: Run; raw: Run }> {
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round(synchronous, i % 2 === 0));
  const mid = (runs: Run[]): Run => ({
    enqueueMs: median(runs.map((run) => run.enqueueMs)),
    processMs: median(runs.map((run) => run.processMs)),
  });
  return { ordo: mid(rounds.map((r) => r.ordo)), raw: mid(rounds.map((r) => r.raw)) };
}

const perSecond = (ms: number): string => `${Math.round((JOBS * 1_000) / ms).toLocaleString('en-US')}/s`;

async function sqliteRows(): Promise<BenchRow[]> {
  const peerName = 'better-sqlite3 12 by hand';
  const full = await alternate('FULL');
  const normal = await alternate('NORMAL');
  const rows: BenchRow[] = [];
  for (const [synchronous, { ordo, raw }] of [
    ['FULL', full],
    ['NORMAL', normal],
  ] as const) {
    rows.push({
      benchmark: `SQLite ${synchronous}: process ${JOBS.toLocaleString('en-US')} no-op jobs, concurrency ${CONCURRENCY}`,
      ordo: (ordo.processMs * 1_000) / JOBS,
      peer: (raw.processMs * 1_000) / JOBS,
      peerName,
      unit: 'µs/job',
      note:
        `Ordo ${perSecond(ordo.processMs)}, raw ${perSecond(raw.processMs)}: Ordo at ` +
        `${(raw.processMs / ordo.processMs).toFixed(2)}x the raw throughput (target >= 0.8x); median of ${ROUNDS} alternating rounds`,
    });
    rows.push({
      benchmark: `SQLite ${synchronous}: enqueue ${JOBS.toLocaleString('en-US')} jobs, one commit each`,
      ordo: (ordo.enqueueMs * 1_000) / JOBS,
      peer: (raw.enqueueMs * 1_000) / JOBS,
      peerName,
      unit: 'µs/job',
      note: `Ordo ${perSecond(ordo.enqueueMs)}, raw ${perSecond(raw.enqueueMs)}`,
    });
  }
  return rows;
}

/** The SQLite jobs benchmark rows. */
export async function benchmarks(): Promise<BenchRow[]> {
  return sqliteRows();
}
