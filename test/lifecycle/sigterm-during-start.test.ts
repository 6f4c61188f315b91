import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compileProgram } from '../support/compile-program.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = '.build/sigterm-during-start';

/** Runs the program, sends it SIGTERM once it is warming up, and returns its exit code, output and run time. */
async function runAndSignal(
  mode: 'honours' | 'ignores',
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const child = spawn(process.execPath, [`${outDir}/test/lifecycle/programs/sigterm-during-start.js`, mode], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalledAt = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!signalledAt && stdout.includes('warming up')) {
      signalledAt = performance.now();
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr, ms: performance.now() - signalledAt };
}

describe('SIGTERM during start() in a program that awaits start() at the top level', () => {
  beforeAll(() => {
    // Only the program and what it imports, into a folder of its own: the other sample tests compile into .build.
    compileProgram(outDir, 'test/lifecycle/programs/sigterm-during-start.ts');
  }, 60_000);

  it('exits 0 after a clean rollback, with no stack trace', async () => {
    const { code, stdout, stderr } = await runAndSignal('honours');

    expect({ code, closed: stdout.includes('database closed'), started: stdout.includes('started\n') }).toEqual({
      code: 0,
      closed: true,
      started: false,
    });
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain('ORDO_START_ABORTED');
  }, 30_000);

  it('exits 1 at the shutdown budget when the start hook ignores its signal, not at its start timeout', async () => {
    const { code, ms, stderr } = await runAndSignal('ignores');

    expect(code).toBe(1);
    expect(ms).toBeLessThan(10_000);
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 30_000);
});
