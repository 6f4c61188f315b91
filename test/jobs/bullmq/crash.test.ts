import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { requireRedis } from '../../support/services.js';
import { BullmqFixture, eventually } from './bullmq-fixtures.js';
import { compileProgram } from '../../support/compile-program.js';

const redis = await requireRedis();
const root = fileURLToPath(new URL('../../..', import.meta.url));
const outDir = '.build/bullmq-crash';
const JOBS = 1_000;
const LOCK = 1_000;

/** Starts a crash-worker process. */
function startWorker(prefix: string, log: string, killAfter: number): ChildProcess {
  return spawn(
    process.execPath,
    [`${outDir}/test/jobs/bullmq/programs/crash-worker.js`, redis.url, prefix, log, String(LOCK), String(killAfter)],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

redis.describe('a BullMQ worker process killed with SIGKILL midway through 1,000 jobs', () => {
  let fixture: BullmqFixture;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    compileProgram(outDir, 'test/jobs/bullmq/programs/crash-worker.ts');
  }, 60_000);
  beforeEach(() => {
    fixture = new BullmqFixture(redis.url);
    dir = mkdtempSync(join(tmpdir(), 'ordo-bullmq-crash-'));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await fixture.cleanUp();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no job, and a second process runs again exactly the jobs in flight at the kill, unattempted', async () => {
    const backend = await fixture.backend();
    const ids = new Set<string>();
    for (let i = 0; i < JOBS; i++) ids.add(await backend.enqueue(fixture.newJob('crash', { i })));
    const [firstLog, secondLog] = [join(dir, 'first.log'), join(dir, 'second.log')];
    writeFileSync(firstLog, '');
    writeFileSync(secondLog, '');

    const first = startWorker(fixture.prefix, firstLog, JOBS / 2);
    children.push(first);
    const killedBy = await new Promise((resolve) => first.once('exit', (_code, signal) => resolve(signal)));
    const probe = new Redis(redis.url);
    const activeAtKill = (await probe.lrange(`${fixture.prefix}:crash:active`, 0, -1)).map((id) => `crash:${id}`);
    probe.disconnect();
    const second = startWorker(fixture.prefix, secondLog, 0);
    children.push(second);
    await eventually(async () => (await backend.counts()).completed === JOBS, 20_000);

    const ranFirst = new Set(lines(firstLog));
    const ranSecond = lines(secondLog);
    const twice = ranSecond.filter((id) => ranFirst.has(id)).sort();
    const completed = await backend.list({ limit: JOBS * 2, state: 'completed' });
    expect(killedBy).toBe('SIGKILL');
    expect(ranFirst.size).toBe(JOBS / 2);
    expect(completed.jobs.map((job) => job.id).sort()).toEqual([...ids].sort());
    expect(new Set([...ranFirst, ...ranSecond])).toEqual(ids);
    expect(new Set(ranSecond).size).toBe(ranSecond.length);
    expect(twice).toEqual(activeAtKill.filter((id) => ranFirst.has(id)).sort());
    expect(twice.length).toBeGreaterThan(0);
    expect(completed.jobs.every((job) => job.attempts === 1)).toBe(true);
  }, 40_000);
});
