import { Container } from 'inversify';
import {
  Clock,
  Component,
  ConfigurationError,
  Every,
  Job,
  JobError,
  Jobs,
  Logger,
  OnStart,
  SilentLogger,
  VirtualClock,
  type JobContext,
  type JobsOptions,
  type ScheduleRunContext,
} from '../../src/index.js';
import { checkJobsOptions, JobsRuntime, type EngineImporter } from '../../src/jobs/internal.js';
import { appOf } from '../support/app-fixtures.js';
import { jobsApp, MemoryBackend, rejectionOf } from './support/job-fixtures.js';

@Component()
class Mailer {
  @Job('send')
  async send(): Promise<void> {}
}

/** A runtime prepared on a container binding `classes`, loading engines through `importEngine`. */
async function prepared(
  classes: Array<new (...args: never[]) => unknown>,
  importEngine: EngineImporter,
  options?: JobsOptions,
): Promise<JobsRuntime> {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Logger).toConstantValue(new SilentLogger());
  container.bind(Clock).toConstantValue(new VirtualClock());
  for (const type of classes) container.bind(type).toSelf();
  const runtime = new JobsRuntime({ options: checkJobsOptions(options), importEngine });
  await runtime.prepare({ container });
  return runtime;
}

function missing(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_MODULE_NOT_FOUND' });
}

describe('loading the engine', () => {
  it('loads none when the app declares no @Job', async () => {
    const loaded: string[] = [];

    await prepared([], async (engine) => {
      loaded.push(engine);
      return {};
    });

    expect(loaded).toEqual([]);
  });

  it('loads the SQLite engine by default, handing it its options and keepCompleted in milliseconds, opening nothing', async () => {
    const made: unknown[] = [];
    const backend = new MemoryBackend();

    await prepared([Mailer], async (engine) => ({
      createBackend: (options: unknown, shared: unknown) => {
        made.push({ engine, options, shared });
        return backend;
      },
    }));

    expect(made).toEqual([{ engine: 'sqlite', options: {}, shared: { keepCompleted: 86_400_000 } }]);
    expect(backend.calls).toEqual([]);
  });

  it('loads the BullMQ engine when the jobs option names it', async () => {
    const made: unknown[] = [];
    const bullmq = { connection: 'redis://127.0.0.1:6379', prefix: 'test' };

    await prepared(
      [Mailer],
      async (engine) => ({
        createBackend: (options: unknown) => {
          made.push({ engine, options });
          return new MemoryBackend();
        },
      }),
      { bullmq, keepCompleted: '1h' },
    );

    expect(made).toEqual([{ engine: 'bullmq', options: bullmq }]);
  });

  it.each([
    ['sqlite', undefined, "Cannot find package 'better-sqlite3' imported from /app/x.js", 'better-sqlite3', '^12'],
    [
      'bullmq',
      { bullmq: { connection: 'redis://x' } },
      "Cannot find package 'ioredis' imported from /app/x.js",
      'ioredis',
      '^5',
    ],
    [
      'bullmq',
      { bullmq: { connection: 'redis://x' } },
      "Cannot find module 'bullmq' from 'src/x.ts'",
      'bullmq',
      '^6.7',
    ],
  ])(
    'fails create() for the %s engine when a package is missing, naming it and its install command',
    async (engine, options, message, pkg, range) => {
      const cause = missing(message);

      const error = await rejectionOf(prepared([Mailer], () => Promise.reject(cause), options as JobsOptions));

      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.code).toBe('ORDO_JOBS_ENGINE_MISSING');
      expect(error.message).toContain(`The ${engine} engine of durable jobs needs the package ${pkg}`);
      expect(error.message).toContain(`npm install ${pkg}@${range}`);
      expect(error.cause).toBe(cause);
    },
  );

  it('fails create() with ORDO_JOBS_ENGINE_FAILED when the module fails to load otherwise', async () => {
    const cause = new SyntaxError('Unexpected token');

    const error = await rejectionOf(prepared([Mailer], () => Promise.reject(cause)));

    expect(error.code).toBe('ORDO_JOBS_ENGINE_FAILED');
    expect(error.message).toBe('The sqlite engine of durable jobs failed to load: Unexpected token');
    expect(error.cause).toBe(cause);
  });

  it('fails create() when the module exports no createBackend', async () => {
    const error = await rejectionOf(prepared([Mailer], async () => ({})));

    expect(error.code).toBe('ORDO_JOBS_ENGINE_FAILED');
  });
});

describe('the store', () => {
  it("opens at the first use, on the app's Clock, even from an @OnStart before the workers start", async () => {
    @Component()
    class Seeder {
      constructor(private readonly jobs: Jobs) {}
      @OnStart()
      async seed(): Promise<void> {
        await this.jobs.enqueue('send', {});
      }
    }
    const { app, clock, backend } = await jobsApp([Mailer, Seeder]);

    await app.start();

    expect(backend.calls.slice(0, 3)).toEqual(['open', 'enqueue', 'work send']);
    expect(backend.openedWith!.clock).toBe(clock);
  });

  it('opens once, at start, when nothing used it before', async () => {
    const { app, backend } = await jobsApp([Mailer]);

    await app.start();
    await app.get(Jobs).counts();

    expect(backend.calls).toEqual(['open', 'work send', 'counts']);
  });

  it('fails the start when it cannot open, naming the engine, with the cause', async () => {
    const { app, backend } = await jobsApp([Mailer]);
    backend.failOpen = new Error('disk full');

    const error = await rejectionOf(app.start());

    expect(error.cause).toMatchObject({
      code: 'ORDO_JOBS_ENGINE_FAILED',
      message: 'The memory store of durable jobs failed to open: disk full',
    });
  });

  it('closes when the app stops, after which Jobs refuses every call', async () => {
    const { app, backend } = await jobsApp([Mailer]);
    await app.start();

    await app.stop();
    const error = await rejectionOf(app.get(Jobs).enqueue('send', {}));

    expect(backend.calls.slice(-2)).toEqual(['drain', 'close']);
    expect(error).toBeInstanceOf(JobError);
    expect(error.code).toBe('ORDO_JOBS_CLOSED');
    expect(error.message).toContain('Jobs.enqueue() was called after the app closed its store of durable jobs');
    await expect(app.get(Jobs).counts()).rejects.toMatchObject({ code: 'ORDO_JOBS_CLOSED' });
  });
});

describe("the workers in the app's life", () => {
  it("start before schedules, so that a schedule's first run can enqueue", async () => {
    const seen: string[][] = [];
    let backend: MemoryBackend | undefined;
    @Component()
    class Reports {
      @Every('1h', { immediate: true })
      nightly(): void {
        seen.push([...backend!.calls]);
      }
    }
    const made = await jobsApp([Mailer, Reports]);
    backend = made.backend;

    await made.app.start();

    expect(seen).toEqual([['open', 'work send']]);
  });

  it('stop after schedules: a run in flight at stop is aborted before the workers drain', async () => {
    let callsAtAbort: string[] | undefined;
    let backend: MemoryBackend | undefined;
    @Component()
    class Reports {
      @Every('1h', { immediate: true })
      nightly({ signal }: ScheduleRunContext): Promise<void> {
        return new Promise((resolve) =>
          signal.addEventListener('abort', () => {
            callsAtAbort = [...backend!.calls];
            resolve();
          }),
        );
      }
    }
    const made = await jobsApp([Mailer, Reports], { shutdownTimeout: '10s' });
    backend = made.backend;
    await made.app.start();

    const stopping = made.app.stop();
    await made.clock.advance('10s');
    await stopping;

    expect(callsAtAbort).toEqual(['open', 'work send']);
    expect(backend.calls).toContain('drain');
  });

  it('drain until half the time left in the shutdown budget', async () => {
    const { app, clock, backend } = await jobsApp([Mailer], { shutdownTimeout: '10s' });
    await app.start();
    const began = clock.now();

    await app.stop();

    expect(backend.drainDeadline).toBe(began + 5_000);
  });

  it('report a handler that ignored its abort as a problem of the stop, naming the job', async () => {
    @Component()
    class Stubborn {
      @Job('stubborn')
      stubborn(_payload: unknown, _context: JobContext): Promise<void> {
        return new Promise(() => {});
      }
    }
    const { app, clock } = await jobsApp([Stubborn], { shutdownTimeout: '10s' });
    await app.start();
    const id = await app.get(Jobs).enqueue('stubborn', {});

    const stopping = app.stop();
    await clock.advance('10s');
    const report = await stopping;

    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ source: 'jobs', error: expect.any(JobError) }]);
    expect(report.problems[0]!.error).toMatchObject({ code: 'ORDO_JOB_ABANDONED', job: 'stubborn' });
    expect((report.problems[0]!.error as Error).message).toContain(
      `The handler of job "stubborn" (id ${id}), attempt 1, ignored its abort at the drain deadline`,
    );
  });
});

describe('the jobs option of Ordo.create()', () => {
  it.each<[JobsOptions, string]>([
    [
      { sqlite: {}, bullmq: { connection: 'redis://x' } },
      'Ordo.create() option jobs: give at most one of sqlite, bullmq and backend, got sqlite and bullmq',
    ],
    [{ sqlite: { lease: 'long' } }, 'Ordo.create() option jobs.sqlite.lease: '],
    [
      { sqlite: { synchronous: 'OFF' as never } },
      "Ordo.create() option jobs.sqlite.synchronous must be 'FULL' or 'NORMAL'",
    ],
    [{ sqlite: { path: '' } }, 'Ordo.create() option jobs.sqlite.path must be a non-empty file path'],
    [{ bullmq: { connection: '' } }, 'Ordo.create() option jobs.bullmq.connection must be a redis:// URL'],
    [{ bullmq: { connection: 'redis://x', lockDuration: 0 } }, 'Ordo.create() option jobs.bullmq.lockDuration: '],
    [{ keepCompleted: 'forever' }, 'Ordo.create() option jobs.keepCompleted: '],
    [{ maxPayloadBytes: 0 }, 'Ordo.create() option jobs.maxPayloadBytes must be a whole number of bytes of at least 1'],
    [
      { backend: { engine: 'x' } as never },
      'Ordo.create() option jobs.backend must implement the JobsBackend contract',
    ],
    [{ engine: 'sqlite' } as never, 'Ordo.create() option jobs has no option engine'],
  ])('refuses %j, naming the option', (options, fragment) => {
    const check = (): unknown => checkJobsOptions(options);

    expect(check).toThrow(ConfigurationError);
    expect(check).toThrow(expect.objectContaining({ code: 'ORDO_INVALID_OPTION' }));
    expect(check).toThrow(fragment);
  });

  it('is checked by Ordo.create() before anything is bound', async () => {
    const error = await rejectionOf(appOf([Mailer], { jobs: { maxPayloadBytes: -1 } }));

    expect(error.code).toBe('ORDO_INVALID_OPTION');
  });
});
