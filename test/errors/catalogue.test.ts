import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, type OrdoErrorCode } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Tests of the error classes themselves: the codes they quote say nothing about when Ordo throws them. */
const errorMachineryTests = fileURLToPath(new URL('.', import.meta.url));

/** Every `.ts` file under `dir`, as absolute paths. */
function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The rows of the tables in docs/errors.md whose first cell is a code, by code; a `\|` inside a cell is text. */
function documentedRows(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of readFileSync(join(root, 'docs/errors.md'), 'utf8').split('\n')) {
    const match = /^\|\s*`(ORDO_[A-Z0-9_]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (!match) continue;
    const [, code, rest] = match;
    if (rows.has(code!)) throw new Error(`docs/errors.md has two rows for ${code}`);
    rows.set(
      code!,
      rest!.split(/(?<!\\)\|/).map((cell) => cell.trim()),
    );
  }
  return rows;
}

const codes = Object.values(ERROR_CODES) as OrdoErrorCode[];
const rows = documentedRows();
const testSources = typeScriptFiles(join(root, 'test'))
  .filter((path) => !path.startsWith(errorMachineryTests))
  .map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }));
const srcSources = typeScriptFiles(join(root, 'src')).map((path) => ({
  path: relative(root, path),
  text: readFileSync(path, 'utf8'),
}));

describe('the catalogue of error codes', () => {
  it('holds 54 codes, each named by itself (adding a code is a deliberate edit of this count)', () => {
    expect(Object.entries(ERROR_CODES).filter(([key, value]) => key !== value)).toEqual([]);
    expect(codes).toHaveLength(54);
  });

  it.each(codes)('documents %s in docs/errors.md: what it means, a typical cause and the fix', (code) => {
    const cells = rows.get(code);

    expect({ code, documented: cells !== undefined }).toEqual({ code, documented: true });
    expect({ code, cells: cells!.length, empty: cells!.filter((cell) => cell === '').length }).toEqual({
      code,
      cells: 3,
      empty: 0,
    });
  });

  it('documents no code outside the catalogue', () => {
    const unknown = [...rows.keys()].filter((code) => !(codes as string[]).includes(code));

    expect({ documentedButNotInCatalogue: unknown }).toEqual({ documentedButNotInCatalogue: [] });
  });

  it.each(codes)(
    'asserts %s by its code in at least one test of the behaviour behind it (a test under test/, outside test/errors/)',
    (code) => {
      const quoted = [`'${code}'`, `"${code}"`];
      const assertingFiles = testSources
        .filter(({ text }) => quoted.some((q) => text.includes(q)))
        .map(({ path }) => path);

      expect({ code, asserted: assertingFiles.length > 0 }).toEqual({ code, asserted: true });
    },
  );

  it('lists every ORDO_ code that src/ mentions, in code or in comments', () => {
    const outside = srcSources.flatMap(({ path, text }) =>
      [...text.matchAll(/\bORDO_[A-Z0-9_]+\b/g)]
        .map(([found]) => found)
        .filter((found) => !(codes as string[]).includes(found))
        .map((found) => `${found} in ${path}`),
    );

    expect({ notInCatalogue: outside }).toEqual({ notInCatalogue: [] });
  });
});
