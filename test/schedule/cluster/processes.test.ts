import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '../../../src/index.js';
import { temporaryFolder } from '../../jobs/sqlite/sqlite-harness.js';
import { compileProgram, SQLITE_ENGINE } from '../../support/compile-program.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const outDir = '.build/cluster-programs';
const program = `${outDir}/test/schedule/cluster/programs/cluster-app.js`;
const PERIOD = 200;

/** Real time, across processes: the children read the system clock, so the test does too. */
const clock = new SystemClock();

interface AppProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;
}

function startApp(options: Record<string, unknown>): AppProcess {
  const child = spawn(process.execPath, [program, JSON.stringify({ every: PERIOD, pollInterval: 50, ...options })], {
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
    child.on('exit', () => reject(new Error(`the app exited before it was ready: ${stderr}`)));
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited };
}

/** The slots a runs file says started and finished, in order. */
function runsIn(file: string): { starts: number[]; finishes: number[] } {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  const of = (word: string): number[] =>
    lines.filter((line) => line.startsWith(`${word} `)).map((line) => Number(line.slice(word.length + 1)));
  return { starts: of('start'), finishes: of('finish') };
}

function duplicates(slots: readonly number[]): number[] {
  const seen = new Set<number>();
  return slots.filter((slot) => (seen.has(slot) ? true : (seen.add(slot), false)));
}

/** The slots missing between the first and the last of `slots`. */
function gaps(slots: readonly number[]): number[] {
  const sorted = [...new Set(slots)].sort((a, b) => a - b);
  const missing: number[] = [];
  for (let slot = sorted[0]!; slot <= sorted.at(-1)!; slot += PERIOD) if (!sorted.includes(slot)) missing.push(slot);
  return missing;
}

async function until(what: string, check: () => boolean, within: number): Promise<void> {
  const giveUpAt = clock.now() + within;
  while (!check()) {
    if (clock.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await clock.sleep(10);
  }
}

describe('a cluster schedule in several processes on one SQLite file', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  const apps: AppProcess[] = [];

  beforeAll(() => {
    // Only the program and what it imports (and the engine, which the app imports dynamically), into a folder of its own.
    compileProgram(outDir, 'test/schedule/cluster/programs/cluster-app.ts', SQLITE_ENGINE);
  }, 120_000);

  beforeEach(() => {
    folder = temporaryFolder();
  });

  afterEach(() => {
    for (const app of apps.splice(0)) app.child.kill('SIGKILL');
    folder.dispose();
  });

  function app(options: Record<string, unknown>): AppProcess {
    const started = startApp({ db: folder.file(), lease: 5_000, ...options });
    apps.push(started);
    return started;
  }

  it('runs each tick once between two processes, missing none', async () => {
    const first = app({ runs: folder.file('first.runs'), runMs: 3_000 });
    const second = app({ runs: folder.file('second.runs'), runMs: 3_000 });
    await Promise.all([first.ready, second.ready]);

    const codes = await Promise.all([first.exited, second.exited]);

    const runs = [runsIn(folder.file('first.runs')), runsIn(folder.file('second.runs'))];
    const started = runs.flatMap((run) => run.starts);
    expect({ codes, duplicates: duplicates(started), gaps: gaps(started) }).toEqual({
      codes: [0, 0],
      duplicates: [],
      gaps: [],
    });
    expect(started.length).toBeGreaterThanOrEqual(8);
  }, 60_000);

  it('runs again, in another process, the tick whose process died mid-run', async () => {
    const killedRuns = folder.file('killed.runs');
    const killed = app({ runs: killedRuns, runMs: 60_000, hang: true, lease: 600 });
    await killed.ready;
    await until('the first run to start', () => runsIn(killedRuns).starts.length > 0, 10_000);
    const [cutShort] = runsIn(killedRuns).starts;

    killed.child.kill('SIGKILL');
    await killed.exited;
    const rescuerRuns = folder.file('rescuer.runs');
    const rescuer = app({ runs: rescuerRuns, runMs: 2_000, lease: 600 });
    await rescuer.ready;
    await rescuer.exited;

    const { starts, finishes } = runsIn(rescuerRuns);
    expect({ ranAgain: starts.includes(cutShort!), finished: finishes.includes(cutShort!) }).toEqual({
      ranAgain: true,
      finished: true,
    });
  }, 60_000);
});
