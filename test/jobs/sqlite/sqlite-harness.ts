import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend } from '../../../src/jobs/engines/sqlite/index.js';
import type { SqliteJobsOptions } from '../../../src/jobs/jobs-options.js';
import type { JobsBackend } from '../../../src/jobs/internal.js';

/** A temporary folder for SQLite files, removed by `dispose()`. */
export function temporaryFolder(): { path: string; file(name?: string): string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), 'ordo-jobs-'));
  return {
    path,
    file: (name = 'jobs.db') => join(path, name),
    dispose: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** A SQLite backend on `path` with the given options (keepCompleted one day unless given). */
export function sqliteBackend(path: string, options: SqliteJobsOptions = {}, keepCompleted = 86_400_000): JobsBackend {
  return createBackend({ path, ...options }, { keepCompleted });
}
