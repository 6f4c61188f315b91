import { ConfigurationError } from '../errors/index.js';
import type { CreateJobsBackend } from './internal.js';

/** The engines Ordo ships, each in its own folder under `engines/`. */
export type EngineName = 'sqlite' | 'bullmq';

/** What an engine module exports. */
export interface EngineModule {
  readonly createBackend: CreateJobsBackend<never>;
}

/** Imports an engine's module; the seam tests replace to simulate a missing package. */
export type EngineImporter = (engine: EngineName) => Promise<unknown>;

/** Where each engine's module is, relative to this file. Not literals in `import()`: an app with no `@Job` never loads them. */
const ENGINE_MODULES: Readonly<Record<EngineName, string>> = {
  sqlite: './engines/sqlite/index.js',
  bullmq: './engines/bullmq/index.js',
};

/** The npm packages each engine imports, with the range to install (the package's optional peer dependencies). */
export const ENGINE_PACKAGES: Readonly<Record<EngineName, ReadonlyArray<{ name: string; range: string }>>> = {
  sqlite: [{ name: 'better-sqlite3', range: '^12' }],
  bullmq: [
    { name: 'bullmq', range: '^6.7' },
    { name: 'ioredis', range: '^5' },
  ],
};

/** Imports an engine's module with a dynamic `import()`, as the app does unless a test gives another importer. */
export const importEngine: EngineImporter = (engine) => import(ENGINE_MODULES[engine]) as Promise<unknown>;

/**
 * Loads an engine's module and returns its `createBackend`.
 *
 * @throws ConfigurationError `ORDO_JOBS_ENGINE_MISSING` naming the missing package and the command that installs it,
 * or `ORDO_JOBS_ENGINE_FAILED` when the module failed to load otherwise; the import's error is the `cause`.
 */
export async function loadEngine(engine: EngineName, importer: EngineImporter = importEngine): Promise<EngineModule> {
  let loaded: unknown;
  try {
    loaded = await importer(engine);
  } catch (cause) {
    const missing = missingPackage(engine, cause);
    if (missing !== undefined) {
      throw new ConfigurationError(
        'ORDO_JOBS_ENGINE_MISSING',
        `The ${engine} engine of durable jobs needs the package ${missing.name}, which is not installed (it is an optional ` +
          `peer dependency of ordo, loaded only by apps that declare a @Job): run \`npm install ${missing.name}@${missing.range}\``,
        { cause },
      );
    }
    throw new ConfigurationError(
      'ORDO_JOBS_ENGINE_FAILED',
      `The ${engine} engine of durable jobs failed to load: ${(cause as Error)?.message ?? String(cause)}`,
      { cause },
    );
  }
  const createBackend = (loaded as Partial<EngineModule> | undefined)?.createBackend;
  if (typeof createBackend !== 'function') {
    throw new ConfigurationError(
      'ORDO_JOBS_ENGINE_FAILED',
      `The ${engine} engine's module does not export a createBackend function`,
    );
  }
  return { createBackend };
}

/** The engine's package an import error says is missing, read from the resolver's error. */
function missingPackage(engine: EngineName, error: unknown): { name: string; range: string } | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  if (typeof message !== 'string') return undefined;
  return ENGINE_PACKAGES[engine].find(
    ({ name }) => message.includes(`'${name}'`) || message.includes(`"${name}"`) || message.includes(`'${name}/`),
  );
}
