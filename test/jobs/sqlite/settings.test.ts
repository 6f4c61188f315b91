import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { OrdoError, SilentLogger, VirtualClock } from '../../../src/index.js';
import { createBackend, SCHEMA_VERSION, type SqliteJobsBackend } from '../../../src/jobs/engines/sqlite/index.js';
import type { SqliteJobsOptions } from '../../../src/jobs/jobs-options.js';
import { sqliteBackend, temporaryFolder } from './sqlite-harness.js';

describe('opening the SQLite store', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  const opened: SqliteJobsBackend[] = [];
  const context = { clock: new VirtualClock(), logger: new SilentLogger() };

  beforeEach(() => {
    folder = temporaryFolder();
  });

  afterEach(async () => {
    for (const backend of opened.splice(0)) await backend.close();
    folder.dispose();
  });

  async function open(path: string, options: SqliteJobsOptions = {}): Promise<SqliteJobsBackend> {
    const backend = sqliteBackend(path, options) as SqliteJobsBackend;
    await backend.open(context);
    opened.push(backend);
    return backend;
  }

  it('opens .ordo/jobs.db under the working directory by default', async () => {
    const cwd = process.cwd();
    process.chdir(folder.path);
    try {
      const backend = createBackend({}, { keepCompleted: 1_000 });
      await backend.open(context);
      await backend.close();
    } finally {
      process.chdir(cwd);
    }

    expect(existsSync(join(folder.path, '.ordo', 'jobs.db'))).toBe(true);
  });

  it('creates the folder and the file', async () => {
    const path = join(folder.path, 'data', 'nested', 'jobs.db');

    await open(path);

    expect(existsSync(path)).toBe(true);
  });

  it('syncs every commit (synchronous FULL) by default, in WAL mode', async () => {
    const backend = await open(folder.file());

    expect(backend.readSettings()).toMatchObject({ journalMode: 'wal', synchronous: 'FULL' });
  });

  it('applies synchronous NORMAL when asked', async () => {
    const backend = await open(folder.file(), { synchronous: 'NORMAL' });

    expect(backend.readSettings().synchronous).toBe('NORMAL');
  });

  it("waits busyTimeout for another process's write lock", async () => {
    const backend = await open(folder.file(), { busyTimeout: '750ms' });

    expect(backend.readSettings().busyTimeout).toBe(750);
  });

  it('records each schema version it wrote, up to the latest', async () => {
    await open(folder.file());

    const reader = new Database(folder.file());
    const versions = reader.prepare('SELECT version FROM ordo_schema ORDER BY version').all();
    reader.close();
    expect(versions).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, at) => ({ version: at + 1 })));
  });

  it('keeps the jobs of a file it opens again', async () => {
    const first = await open(folder.file());
    const now = context.clock.now();
    const id = await first.enqueue({ name: 'email', payload: '{}', runAt: now, enqueuedAt: now, maxAttempts: 3 });
    await first.close();
    opened.splice(opened.indexOf(first), 1);

    const second = await open(folder.file());

    expect(await second.get(id)).toMatchObject({ id, name: 'email', state: 'pending' });
  });

  it('refuses a file of a newer schema, naming the path and both versions', async () => {
    const writer = new Database(folder.file());
    writer.exec(
      `CREATE TABLE ordo_schema (version INTEGER NOT NULL); INSERT INTO ordo_schema VALUES (${SCHEMA_VERSION + 1})`,
    );
    writer.close();

    const opening = open(folder.file());

    await expect(opening).rejects.toMatchObject({
      code: 'ORDO_INVALID_OPTION',
      message: expect.stringContaining(`${folder.file()}: the jobs database has schema version ${SCHEMA_VERSION + 1}`),
    });
  });

  it('fails to open a path that cannot be a file, naming it, with the cause', async () => {
    const opening = open(folder.path);

    const error: unknown = await opening.catch((caught: unknown) => caught);
    expect(OrdoError.is(error, 'ORDO_INVALID_OPTION')).toBe(true);
    expect((error as Error).message).toContain(`jobs.sqlite.path ${folder.path}`);
    expect((error as Error).cause).toMatchObject({ code: expect.stringMatching(/^SQLITE_/) });
  });

  it.each([
    [{ synchronous: 'OFF' as 'FULL' }, 'jobs.sqlite.synchronous'],
    [{ lease: 0 }, 'jobs.sqlite.lease'],
    [{ pollInterval: 'often' }, 'jobs.sqlite.pollInterval'],
    [{ busyTimeout: -1 }, 'jobs.sqlite.busyTimeout'],
    [{ path: '' }, 'jobs.sqlite.path'],
  ])('refuses %j, naming %s', (options, option) => {
    const making = (): unknown => sqliteBackend(folder.file(), options);

    expect(making).toThrow(
      expect.objectContaining({ code: 'ORDO_INVALID_OPTION', message: expect.stringContaining(option) }),
    );
  });
});
