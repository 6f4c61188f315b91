/**
 * The embedded jobs engine: SQLite through better-sqlite3 12. The core loads this module with a dynamic `import()`
 * only when the app declares a `@Job`, so a missing better-sqlite3 fails that import, naming the package.
 */
import type { CreateJobsBackend } from '../../internal.js';
import type { SqliteJobsOptions } from '../../jobs-options.js';
import { SqliteJobsBackend } from './sqlite-backend.js';
import { resolveSqliteOptions } from './sqlite-options.js';

/** Builds the SQLite engine from its options; opens nothing until `open()`. */
export const createBackend: CreateJobsBackend<SqliteJobsOptions> = (options, shared) =>
  new SqliteJobsBackend(resolveSqliteOptions(options, shared.keepCompleted));

export { SQLITE_DEFAULTS } from './sqlite-options.js';
export { CLAIM_SQL } from './statements.js';
export { SqliteJobsBackend } from './sqlite-backend.js';
export { migrate, SCHEMA_VERSION } from './schema.js';
