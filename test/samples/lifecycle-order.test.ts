import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLifecycleApp } from '../../samples/lifecycle-order/app.js';
import { HttpServer } from '../../samples/lifecycle-order/services.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the lifecycle-order sample', () => {
  it('starts the database, cache and server in dependency order and stops them in reverse', async () => {
    const lines: string[] = [];
    const app = await createLifecycleApp((line) => lines.push(line));

    await app.start();
    const response = await fetch(`http://127.0.0.1:${app.get(HttpServer).port}/`);
    const body = await response.json();
    await app.stop();

    expect(body).toEqual({ sql: 'select greeting', rows: 1 });
    const order = lines
      .filter((l) => / component (started|stopped) /.test(l))
      .map((l) => l.replace(/^info +component (\w+) component="([\w-]+)".*$/, '$1 $2'));
    expect(order).toEqual([
      'started database',
      'started cache',
      'started http-server',
      'stopped http-server',
      'stopped cache',
      'stopped database',
    ]);
  });

  it('stops cleanly and exits 0 when the process receives SIGTERM', async () => {
    execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.run.json'], {
      cwd: root,
    });
    const child = spawn(process.execPath, ['.build/samples/lifecycle-order/main.js'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!signalled && output.includes('ready;')) signalled = child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(code).toBe(0);
    expect(output).toMatch(
      /component stopped component="http-server"[\s\S]*component stopped component="cache"[\s\S]*component stopped component="database"[\s\S]*stopped cleanly/,
    );
  }, 60_000);
});
