import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The Ordo job engines, which the jobs runtime loads by a dynamic import that tsc does not follow: a program that
 * runs jobs lists the one it uses, or it would run a stale copy left in `.build` (or none, in a fresh clone).
 */
export const SQLITE_ENGINE = 'src/jobs/engines/sqlite/index.ts';

/**
 * Compiles a child-process program and only what it imports (plus `extra` entry points) into a folder of its own,
 * paths kept relative to the repository: `test/x/programs/p.ts` becomes `<outDir>/test/x/programs/p.js`.
 */
export function compileProgram(outDir: string, program: string, ...extra: string[]): void {
  execFileSync(
    process.execPath,
    [
      `${root}/node_modules/typescript/bin/tsc`,
      '--ignoreConfig',
      program,
      ...extra,
      ...['--outDir', outDir, '--rootDir', '.', '--module', 'nodenext', '--moduleResolution', 'nodenext'],
      ...['--target', 'ES2022', '--lib', 'ES2023', '--strict', '--skipLibCheck', '--types', 'node'],
      ...['--experimentalDecorators', '--emitDecoratorMetadata'],
    ],
    { cwd: root },
  );
}
