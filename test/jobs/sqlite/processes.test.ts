import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SilentLogger, SystemClock } from '../../../src/index.js';
import { sqliteBackend, temporaryFolder } from './sqlite-harness.js';
import { compileProgram, SQLITE_ENGINE } from '../../support/compile-program.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const outDir = '.build/jobs-sqlite-programs';
const program = `${outDir}/test/jobs/sqlite/programs/job-worker.js`;
const NAME = 'processes.noop';

/** Real time, across processes: the children read the system clock, so the test does too. */
const clock = new SystemClock();

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

function startWorker(options: Record<string, unknown>): Worker {
  const child = spawn(process.execPath, [program, JSON.stringify({ name: NAME, ...options })], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`the worker exited before it was ready: ${stderr}`)));
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited, stderr: () => stderr };
}

/** The ids a runs file says started and finished, in order. */
function runsIn(file: string): { starts: string[]; finishes: string[] } {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  const of = (word: string): string[] =>
    lines.filter((line) => line.startsWith(`${word} `)).map((line) => line.slice(word.length + 1));
  return { starts: of('start'), finishes: of('finish') };
}

async function enqueueNoops(db: string, count: number): Promise<string[]> {
  const backend = sqliteBackend(db, { synchronous: 'NORMAL' });
  await backend.open({ clock, logger: new SilentLogger() });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const now = clock.now();
    ids.push(await backend.enqueue({ name: NAME, payload: `{"n":${i}}`, runAt: now, enqueuedAt: now, maxAttempts: 3 }));
  }
  await backend.close();
  return ids;
}

function readJobs(db: string): Array<{ id: number; state: string; attempts: number }> {
  const reader = new Database(db);
  try {
    return reader.prepare('SELECT id, state, attempts FROM ordo_jobs ORDER BY id').all() as Array<{
      id: number;
      state: string;
      attempts: number;
    }>;
  } finally {
    reader.close();
  }
}

async function until(what: string, check: () => boolean, within: number): Promise<void> {
  const giveUpAt = clock.now() + within;
  while (!check()) {
    if (clock.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await clock.sleep(10);
  }
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}

describe('several processes on one SQLite file', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  const workers: Worker[] = [];

  beforeAll(() => {
    // Only the program and what it imports, into a folder of its own.
    compileProgram(outDir, 'test/jobs/sqlite/programs/job-worker.ts', SQLITE_ENGINE);
  }, 60_000);

  beforeEach(() => {
    folder = temporaryFolder();
  });

  afterEach(() => {
    for (const worker of workers.splice(0)) worker.child.kill('SIGKILL');
    folder.dispose();
  });

  function worker(options: Record<string, unknown>): Worker {
    const started = startWorker(options);
    workers.push(started);
    return started;
  }

  it('processes every job exactly once when two processes share the file', async () => {
    const db = folder.file();
    const count = 2_000;
    await enqueueNoops(db, 0);
    // NORMAL: an fsync per commit would make this a test of the disk; FULL runs in the crash test below.
    const shared = {
      db,
      concurrency: 4,
      lease: 5_000,
      pollInterval: 20,
      workMs: 0,
      untilCompleted: count,
      synchronous: 'NORMAL',
    };
    const first = worker({ ...shared, runs: folder.file('first.runs') });
    const second = worker({ ...shared, runs: folder.file('second.runs') });
    await Promise.all([first.ready, second.ready]);

    const ids = await enqueueNoops(db, count);
    const codes = await Promise.all([first.exited, second.exited]);

    const runs = [runsIn(folder.file('first.runs')), runsIn(folder.file('second.runs'))];
    const started = runs.flatMap((run) => run.starts);
    expect({ codes, duplicates: duplicates(started), missing: ids.filter((id) => !started.includes(id)) }).toEqual({
      codes: [0, 0],
      duplicates: [],
      missing: [],
    });
    expect(runs.map((run) => run.starts.length > 0)).toEqual([true, true]);
    expect(readJobs(db).filter((job) => job.state !== 'completed')).toEqual([]);
  }, 30_000);

  it('loses no job across a SIGKILL: a second process runs again exactly the jobs in flight at the kill', async () => {
    const db = folder.file();
    const count = 1_000;
    const ids = await enqueueNoops(db, count);
    const shared = { db, concurrency: 8, lease: 500, pollInterval: 50, workMs: 10, untilCompleted: count };
    const killedRuns = folder.file('killed.runs');
    const killed = worker({ ...shared, runs: killedRuns });
    await killed.ready;
    await until('the first process to finish 400 jobs', () => runsIn(killedRuns).finishes.length >= 400, 15_000);

    killed.child.kill('SIGKILL');
    await killed.exited;
    const runningAtKill = new Set(
      readJobs(db)
        .filter((job) => job.state === 'running')
        .map((job) => String(job.id)),
    );
    const rescuer = worker({ ...shared, runs: folder.file('rescuer.runs') });
    const code = await rescuer.exited;

    const before = runsIn(killedRuns);
    const after = runsIn(folder.file('rescuer.runs'));
    const inFlight = before.starts.filter((id) => runningAtKill.has(id));
    const ranTwice = before.starts.filter((id) => after.starts.includes(id));
    const finished = new Set([...before.finishes, ...after.finishes]);
    expect({
      code,
      lost: ids.filter((id) => !finished.has(id)),
      ranTwice: ranTwice.sort(),
      duplicatesWithinAProcess: [...duplicates(before.starts), ...duplicates(after.starts)],
    }).toEqual({ code: 0, lost: [], ranTwice: inFlight.sort(), duplicatesWithinAProcess: [] });
    expect(inFlight.length).toBeGreaterThan(0);
    // A run cut short by the crash is not an attempt: every job completed at its first counted attempt.
    expect(readJobs(db).filter((job) => job.state !== 'completed' || job.attempts !== 1)).toEqual([]);
  }, 30_000);
});
