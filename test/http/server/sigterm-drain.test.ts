import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agents, request, type Reply } from './server-fixtures.js';
import { compileProgram } from '../../support/compile-program.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const outDir = '.build/sigterm-drain';
/** The program's shutdown budget is 5 s; it must exit well within it. */
const BUDGET_MS = 5_000;

/** The program, running: its output so far, a way to wait for a line, and its exit. */
function launch(drainDelay: string): {
  child: ChildProcess;
  output(): string;
  line(prefix: string): Promise<string>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [`${outDir}/test/http/server/programs/sigterm-drain.js`, drainDelay], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  let ended = false;
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const check of waiters.splice(0)) check();
  });
  const line = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = stdout.split('\n').find((l) => l.startsWith(prefix));
        if (found !== undefined) resolve(found);
        else if (ended) reject(new Error(`the program exited without printing "${prefix}"; it printed: ${stdout}`));
        else waiters.push(check);
      };
      check();
    });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      ended = true;
      for (const check of waiters.splice(0)) check();
      resolve(code);
    }),
  );
  return { child, output: () => stdout, line, exited };
}

/** A request on a connection of its own; a refused connection resolves with the error. */
function fresh(port: number, path: string, agents: Agents): Promise<Reply | NodeJS.ErrnoException> {
  return request(port, path, agents.keepAlive()).catch((error: NodeJS.ErrnoException) => error);
}

describe('SIGTERM with 20 requests in flight, in a child process', () => {
  const agents = new Agents();
  afterEach(() => agents.destroyAll());

  beforeAll(() => {
    // Only the program and what it imports, into a folder of its own: other tests compile into .build too.
    compileProgram(outDir, 'test/http/server/programs/sigterm-drain.ts');
  }, 60_000);

  it('answers every request in flight with 200, refuses new connections once draining, and exits 0 in the budget', async () => {
    const program = launch('0ms');
    const port = Number((await program.line('listening ')).split(' ')[1]);
    const agent = agents.keepAlive();
    const inFlight = Promise.all(Array.from({ length: 20 }, () => request(port, '/slow', agent)));
    await program.line('arrived 20');

    const signalled = performance.now();
    program.child.kill('SIGTERM');
    await program.line('draining');
    const refused = await fresh(port, '/late', agents);
    const answers = await inFlight;
    const code = await program.exited;
    const took = performance.now() - signalled;

    expect(answers.map((reply) => reply.status)).toEqual(Array(20).fill(200));
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    expect(await program.line('drained ')).toBe('drained {"inFlight":20,"drained":20,"destroyed":0}');
    expect(code).toBe(0);
    expect(took).toBeLessThan(BUDGET_MS);
  }, 30_000);

  it('during the drain delay serves new requests normally while /readyz answers 503, then refuses them', async () => {
    const program = launch('1s');
    const port = Number((await program.line('listening ')).split(' ')[1]);
    const agent = agents.keepAlive();
    const inFlight = Promise.all(Array.from({ length: 20 }, () => request(port, '/slow', agent)));
    await program.line('arrived 20');

    program.child.kill('SIGTERM');
    await program.line('stopping');
    const readiness = (await fresh(port, '/readyz', agents)) as Reply;
    const served = (await fresh(port, '/during-delay', agents)) as Reply;
    await program.line('draining');
    const refused = await fresh(port, '/late', agents);
    const answers = await inFlight;
    const code = await program.exited;

    expect([readiness.status, served.status, served.body]).toEqual([503, 200, 'answer to /during-delay']);
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    expect(answers.map((reply) => reply.status)).toEqual(Array(20).fill(200));
    expect(code).toBe(0);
  }, 30_000);
});
