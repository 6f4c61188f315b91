import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as source from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the built package', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'pipe' });
  }, 60_000);

  it('is imported by its name through the exports map, with every export of the source root', () => {
    // A package may import itself by name: this goes through package.json's "exports", as a user's import does.
    const script = "import('ordo').then((m) => process.stdout.write(JSON.stringify(Object.keys(m).sort())))";
    const names = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })) as string[];

    expect(names).toEqual(Object.keys(source).sort());
  });

  it('ships type declarations where package.json says they are', () => {
    const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { types: string; exports: Record<string, { types: string }> };

    expect(existsSync(`${root}/${manifest.types}`)).toBe(true);
    expect(manifest.exports['.']!.types).toBe(manifest.types);
    expect(readFileSync(`${root}/${manifest.types}`, 'utf8')).toContain("export * from './time/index.js'");
  });
});
