import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as source from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

// The public API, pinned. A name added to or removed from the package root is a deliberate edit of these lists;
// internals (discovery, module compilation, binding reads, stop floors, health bodies) live in internal.ts files.

/** Every name the built package exports at run time, in `Array.prototype.sort()` order. */
const RUNTIME_EXPORTS = [
  'App',
  'AppEvents',
  'AppStateError',
  'Background',
  'BackgroundError',
  'Clock',
  'Component',
  'ConfigurationError',
  'ConsoleLogger',
  'Cron',
  'DEFAULT_APP_TASK_ENTRIES',
  'DEFAULT_SHUTDOWN_TIMEOUT',
  'DEFAULT_START_TIMEOUT',
  'DEFAULT_STOP_TIMEOUT',
  'ERROR_CODES',
  'Every',
  'HealthCheck',
  'HealthCheckError',
  'HookTimeoutError',
  'InvalidDurationError',
  'JOB_STATES',
  'Job',
  'JobError',
  'Jobs',
  'Logger',
  'MAX_HOST_TIMER_DELAY',
  'Module',
  'OnStart',
  'OnStop',
  'Ordo',
  'OrdoError',
  'RequestScope',
  'RequestScopeError',
  'ScheduleError',
  'Schedules',
  'SilentLogger',
  'StartupError',
  'SystemClock',
  'Task',
  'TaskCycleError',
  'TaskKeyError',
  'TaskMethodError',
  'TaskOptionError',
  'TaskScope',
  'VIRTUAL_CLOCK_EPOCH',
  'VirtualClock',
  'VirtualClockError',
  'currentTaskScope',
  'formatDuration',
  'isOrdoErrorCode',
  'override',
  'parseDuration',
  'stopDetails',
  'task',
];

/** The names the package's declarations export that are types only, in `Array.prototype.sort()` order. */
const TYPE_ONLY_EXPORTS = [
  'AbandonedWork',
  'AnyClass',
  'AppEventMap',
  'AppExtension',
  'AppOptions',
  'AppState',
  'AppTaskOptions',
  'BackgroundErrorCode',
  'BackgroundFn',
  'BackgroundOptions',
  'BackoffOption',
  'BoundOutput',
  'BoundTask',
  'BullmqConnection',
  'BullmqJobsOptions',
  'CheckOutcome',
  'ClaimedJob',
  'ComponentOptions',
  'CreateOptions',
  'CronOptions',
  'CronSpec',
  'Duration',
  'EnqueueOptions',
  'EveryOptions',
  'EverySpec',
  'ExtensionContext',
  'HealthCheckMethod',
  'HealthCheckOptions',
  'HealthReport',
  'HealthResult',
  'HealthServer',
  'HealthServerOptions',
  'HealthStatus',
  'HookDecorator',
  'HostTimers',
  'JobAttempt',
  'JobContext',
  'JobCounts',
  'JobDecorator',
  'JobErrorCode',
  'JobHandler',
  'JobId',
  'JobInfo',
  'JobListQuery',
  'JobOptions',
  'JobPage',
  'JobQueueSpec',
  'JobState',
  'JobsBackend',
  'JobsBackendContext',
  'JobsDrainReport',
  'JobsOptions',
  'LifecycleHookMethod',
  'MarkedStopDetails',
  'ModuleClass',
  'ModuleOptions',
  'NewJob',
  'OrdoErrorCode',
  'OverlapPolicy',
  'Override',
  'Provider',
  'ProviderScope',
  'RequestScopeOptions',
  'RunAllOptions',
  'Runtime',
  'RuntimeContext',
  'RuntimePreparation',
  'RuntimeProblem',
  'ScheduleDecorator',
  'ScheduleErrorCode',
  'ScheduleInfo',
  'ScheduleOptions',
  'ScheduleRunContext',
  'ScheduleRunOutcome',
  'ScheduleSpec',
  'ScheduledFn',
  'ShutdownHookOptions',
  'ShutdownOptions',
  'SqliteJobsOptions',
  'StopDetails',
  'StopReport',
  'SystemClockOptions',
  'TaskFn',
  'TaskGroupOptions',
  'TaskKeyErrorOptions',
  'TaskMethodDecorator',
  'TaskMethodErrorCode',
  'TaskMethodOptions',
  'TaskOptions',
  'TaskOutcomes',
  'TaskOutputs',
  'TaskRunOptions',
  'TaskScopeOptions',
  'TaskScopeStats',
  'TerminusBody',
  'Ticker',
  'TickerOptions',
  'TimerHandle',
  'VirtualClockOptions',
  'WaitForTimersOptions',
];

function filesUnder(folder: string, suffix: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix))
    .map((file) => join(folder, file));
}

/** Every name a declaration file exports, types included, as the compiler resolves them. */
function declaredExports(declarationFile: string): string[] {
  const program = ts.createProgram([declarationFile], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(declarationFile)!)!;
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => symbol.name)
    .sort();
}

/** The members of src declared right after an `@internal` tag, as `{ file, member }` (file relative to src, as .d.ts). */
function internalMembers(): Array<{ declarationFile: string; member: string }> {
  const found: Array<{ declarationFile: string; member: string }> = [];
  for (const file of filesUnder(join(root, 'src'), '.ts')) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (!/@internal\b/.test(line)) return;
      const declaration = lines.slice(index + 1).find((next) => !/^\s*(\*|\/\*\*)/.test(next))!;
      const member = /^\s*(?:(?:readonly|static|get|set|async)\s+)*(\[\w+\]|#?\w+)/.exec(declaration)![1]!;
      found.push({ declarationFile: relative(join(root, 'src'), file).replace(/\.ts$/, '.d.ts'), member });
    });
  }
  return found;
}

describe('the built package', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'pipe' });
  }, 60_000);

  it('is imported by its name through the exports map, with exactly the pinned runtime exports', () => {
    // A package may import itself by name: this goes through package.json's "exports", as a user's import does.
    const script = "import('ordo').then((m) => process.stdout.write(JSON.stringify(Object.keys(m).sort())))";
    const names = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }),
    ) as string[];

    expect(names).toEqual(RUNTIME_EXPORTS);
    expect(Object.keys(source).sort()).toEqual(RUNTIME_EXPORTS);
  });

  it('declares exactly the pinned runtime exports and the pinned types', () => {
    const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { types: string };

    const declared = declaredExports(join(root, manifest.types));

    expect(declared.filter((name) => !RUNTIME_EXPORTS.includes(name))).toEqual(TYPE_ONLY_EXPORTS);
    expect(RUNTIME_EXPORTS.filter((name) => !declared.includes(name))).toEqual([]);
  });

  it('ships type declarations where package.json says they are', () => {
    const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
      types: string;
      exports: Record<string, { types: string }>;
    };

    expect(existsSync(`${root}/${manifest.types}`)).toBe(true);
    expect(manifest.exports['.']!.types).toBe(manifest.types);
  });

  it('loads node:http only for an app that serves health over HTTP, not when it is imported', () => {
    const script =
      "import('ordo').then(() => process.stdout.write(String(process.moduleLoadList.includes('NativeModule http'))))";

    const loadsHttp = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });

    expect(loadsHttp).toBe('false');
  });

  it.each([
    ['ordo/http', ['ClientDisconnectedError', 'DEFAULT_DRAIN_TIMEOUT', 'GracefulHttpServer', 'withOrdoScope']],
    ['ordo/express', ['ClientDisconnectedError', 'ordoHealth', 'ordoScope']],
    ['ordo/fastify', ['ClientDisconnectedError', 'ordoFastify']],
  ])('resolves %s through the exports map, with exactly its pinned runtime exports', (entry, pinned) => {
    const script = `import('${entry}').then((m) => process.stdout.write(JSON.stringify(Object.keys(m).sort())))`;

    const names = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }),
    ) as string[];

    expect(names).toEqual(pinned);
  });

  it.each([
    ['ordo', []],
    ['ordo/http', []],
    ['ordo/express', ['express']],
    // The plugin needs Fastify's types only: the user's own import loads Fastify.
    ['ordo/fastify', []],
  ])('loads, of the HTTP frameworks, only what %s needs when it is imported', (entry, frameworks) => {
    const script =
      `import('${entry}').then(() => process.stdout.write(JSON.stringify([...new Set(Object.keys(require.cache)` +
      `.map((file) => /node_modules[\\\\/](express|fastify)[\\\\/]/.exec(file)?.[1]).filter(Boolean))])))`;

    const loaded = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }),
    ) as string[];

    expect(loaded).toEqual(frameworks);
  });

  it('ships the type declarations of every entry point where package.json says they are', () => {
    const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
      exports: Record<string, { types?: string; import?: string }>;
    };

    const entries = Object.entries(manifest.exports).filter(([, target]) => typeof target === 'object');

    expect(entries.map(([entry]) => entry)).toEqual(['.', './http', './express', './fastify']);
    for (const [entry, target] of entries) {
      expect({
        entry,
        types: existsSync(join(root, target.types!)),
        code: existsSync(join(root, target.import!)),
      }).toEqual({
        entry,
        types: true,
        code: true,
      });
    }
    expect(declaredExports(join(root, manifest.exports['./express']!.types!))).toEqual([
      'ClientDisconnectedError',
      'HttpScopeOptions',
      'ordoHealth',
      'ordoScope',
    ]);
    expect(declaredExports(join(root, manifest.exports['./fastify']!.types!))).toEqual([
      'ClientDisconnectedError',
      'HttpScopeOptions',
      'OrdoFastifyOptions',
      'ordoFastify',
    ]);
    expect(declaredExports(join(root, manifest.exports['./http']!.types!))).toEqual([
      'ClientDisconnectedError',
      'DEFAULT_DRAIN_TIMEOUT',
      'GracefulHttpServer',
      'GracefulHttpServerOptions',
      'HttpDrainDetails',
      'HttpScopeOptions',
      'HttpTarget',
      'ScopedRequestHandler',
      'ServerOwner',
      'withOrdoScope',
    ]);
  });

  it('leaves every member tagged @internal out of the declarations', () => {
    const members = internalMembers();

    expect(members.length).toBeGreaterThan(0);
    for (const { declarationFile, member } of members) {
      expect({
        declarationFile,
        declares: readFileSync(join(root, 'dist', declarationFile), 'utf8').includes(member),
      }).toEqual({
        declarationFile,
        declares: false,
      });
    }
    const tagged = filesUnder(join(root, 'dist'), '.d.ts').filter((file) =>
      readFileSync(file, 'utf8').includes('@internal'),
    );
    expect(tagged).toEqual([]);
  });
});

describe('the public API in the source', () => {
  it('lists its exports by name: no module under src re-exports with export *', () => {
    const starExports = filesUnder(join(root, 'src'), '.ts').filter((file) =>
      /^\s*export\s+(type\s+)?\*/m.test(readFileSync(file, 'utf8')),
    );

    expect(starExports.map((file) => relative(root, file))).toEqual([]);
  });

  it("takes nothing at the package root from a capability's internal.ts", () => {
    const rootSource = readFileSync(join(root, 'src/index.ts'), 'utf8');

    expect(rootSource).not.toMatch(/from '\.\/\w+\/internal\.js'/);
  });
});
