import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const src = fileURLToPath(new URL('../../src', import.meta.url));

/**
 * What each folder under src may import, besides itself: the layers below it. Siblings (lifecycle, tasks, and the
 * scheduler and job workers to come) never import each other; only the composition root (app) knows them all.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  errors: [],
  time: ['errors'],
  core: ['errors', 'time'],
  lifecycle: ['errors', 'time', 'core'],
  tasks: ['errors', 'time', 'core'],
  schedule: ['errors', 'time', 'core'],
  jobs: ['errors', 'time', 'core'],
  app: ['errors', 'time', 'core', 'lifecycle', 'tasks', 'schedule', 'jobs'],
  http: ['errors', 'time', 'core', 'lifecycle', 'tasks', 'schedule', 'jobs', 'app'],
};

/** The folder of src a file belongs to; `undefined` for the package root's own files (src/index.ts). */
function layerOf(file: string): string | undefined {
  const parts = relative(src, file).split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/** Every relative import of a source file, static, re-export or dynamic, resolved to the file it names. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier));
}

const sourceFiles = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(src, file));

/** Every import from one folder of src into another, as `from -> to (file)`. */
function crossings(): Array<{ from: string; to: string; file: string }> {
  const found: Array<{ from: string; to: string; file: string }> = [];
  for (const file of sourceFiles) {
    const from = layerOf(file);
    if (from === undefined) continue;
    for (const target of importsOf(file)) {
      const to = layerOf(target) ?? 'the package root';
      if (to !== from) found.push({ from, to, file: relative(src, file) });
    }
  }
  return found;
}

describe('the layering of src', () => {
  it('gives every folder under src a place in the layering', () => {
    const folders = [...new Set(sourceFiles.map(layerOf).filter((layer) => layer !== undefined))];

    expect(folders.filter((folder) => !(folder in MAY_IMPORT))).toEqual([]);
  });

  it('sees the imports it checks: the composition root imports lifecycle and tasks', () => {
    const fromApp = crossings()
      .filter((crossing) => crossing.from === 'app')
      .map((crossing) => crossing.to);

    expect(fromApp).toEqual(expect.arrayContaining(['lifecycle', 'tasks', 'core']));
  });

  it('has no folder import a sibling, a layer above it, or the package root', () => {
    const violations = crossings().filter(({ from, to }) => !MAY_IMPORT[from]?.includes(to));

    expect(violations.map(({ from, to, file }) => `${file}: ${from} imports ${to}`)).toEqual([]);
  });
});
