import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Packs Ordo the way a release does, installs the tarball into a project of a user's own and builds an app there:
// what a user gets, not what this repository's node_modules happen to hold. One pack and one install for the file.

const root = fileURLToPath(new URL('../..', import.meta.url));
/** An inversify that is not the one this repository tests against, so a second copy would show. */
const userInversify = '8.2.2';

/** The environment of a command run by hand: nothing from the `npm test` that runs this file. */
function userEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|config_local_prefix$)/.test(name) || name === 'INIT_CWD' || name === 'NODE_OPTIONS')
      delete env[name];
  }
  return env;
}

function run(command: string, args: string[], cwd: string): string {
  const executable = command === 'node' ? process.execPath : command;
  return execFileSync(executable, args, {
    cwd,
    env: userEnvironment(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const appSource = `
import 'reflect-metadata';
import { Container, inject } from 'inversify';
import { Component, Logger, Module, OnStart, OnStop, Ordo, SilentLogger } from 'ordo';

@Component()
class Database {
  @OnStart() connect(signal: AbortSignal): void { console.log(\`database started, aborted: \${signal.aborted}\`); }
  @OnStop() close(): void { console.log('database stopped'); }
}

@Component()
class Api {
  constructor(@inject(Database) readonly database: Database) {}
  @OnStart() async listen(): Promise<void> { console.log('api started'); }
  @OnStop() async close(): Promise<void> { console.log('api stopped'); }
}

@Component()
class Worker {
  // No @inject: the type comes from the metadata the user's tsc emitted.
  constructor(readonly database: Database) {}
  @OnStart() start(): void { console.log('worker started'); }
}

@Module({ components: [Api, Database] })
class AppModule {}

const app = await Ordo.create(AppModule, { overrides: [[Logger, new SilentLogger()]] });
await app.start();
await app.stop();

const container = new Container();
container.bind(Database).toSelf().inSingletonScope();
container.bind(Worker).toSelf().inSingletonScope();
container.bind(Logger).toConstantValue(new SilentLogger());
const fromContainer = await Ordo.create(container);
await fromContainer.start();
await fromContainer.stop();
console.log(\`done: \${app.state}, \${fromContainer.state}\`);
`;

const userTsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    outDir: 'dist',
    rootDir: 'src',
    types: ['node'],
  },
  include: ['src'],
};

describe('the package as a user installs it', () => {
  let work: string;
  let project: string;
  let shipped: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ordo-package-'));
    // A checkout as a fresh clone has it: sources and manifests, no dist/. Packing it must build dist/ itself.
    const checkout = join(work, 'checkout');
    mkdirSync(checkout);
    for (const entry of [
      'package.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'README.md',
      'LICENSE',
      'src',
      'docs',
    ]) {
      cpSync(join(root, entry), join(checkout, entry), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    const tarball = join(
      work,
      run('npm', ['pack', '--silent', '--pack-destination', work], checkout).trim().split('\n').pop()!,
    );

    project = join(work, 'project');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'ordo-user', private: true, type: 'module' }));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(userTsconfig));
    writeFileSync(join(project, 'src', 'main.ts'), appSource);
    run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        tarball,
        `inversify@${userInversify}`,
        'reflect-metadata@^0.2.2',
        'typescript@6.0.3',
        '@types/node@^20',
      ],
      project,
    );
    shipped = join(project, 'node_modules', 'ordo');
  }, 240_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships the built code, its declarations, the docs, the README and the licence', () => {
    const files = ['dist/index.js', 'dist/index.d.ts', 'README.md', 'LICENSE', 'docs/lifecycle.md'];

    expect(files.filter((file) => !existsSync(join(shipped, file)))).toEqual([]);
    expect(readFileSync(join(shipped, 'LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) 2026 Ordo contributors\n/,
    );
  });

  it('ships every file that the README links to', () => {
    const readme = readFileSync(join(shipped, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(((?!https?:|#)[^)#]+)(#[^)]*)?\)/g)].map((match) => match[1]!);

    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !existsSync(join(shipped, link)))).toEqual([]);
  });

  it("compiles an app with the user's own tsc and runs it with node", () => {
    run('node', [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);

    const output = run('node', ['dist/main.js'], project);

    expect(output.split('\n')).toEqual([
      'database started, aborted: false',
      'api started',
      'api stopped',
      'database stopped',
      'database started, aborted: false',
      'worker started',
      'database stopped',
      'done: stopped, stopped',
      '',
    ]);
  });

  it(`installs one copy of inversify and of its core beside the user's inversify ${userInversify}`, () => {
    const copies = (name: string) =>
      (JSON.parse(run('npm', ['query', `#${name}`], project)) as { version: string; location: string }[]).map(
        (node) => `${node.location}@${node.version}`,
      );

    expect(copies('inversify')).toEqual([`node_modules/inversify@${userInversify}`]);
    expect(copies('@inversifyjs/core')).toEqual([expect.stringMatching(/^node_modules\/@inversifyjs\/core@15\./)]);
    expect(copies('@inversifyjs/plugin')).toHaveLength(1);
    expect(copies('reflect-metadata')).toHaveLength(1);
  });
});
