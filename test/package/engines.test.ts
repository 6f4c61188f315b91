import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

describe('the locked dependency tree', () => {
  it('installs on the oldest Node that package.json admits, so contributors get no EBADENGINE warning', () => {
    const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { engines: { node: string } };
    const lock = JSON.parse(readFileSync(`${root}/package-lock.json`, 'utf8')) as { packages: Record<string, LockedPackage> };
    const oldest = semver.minVersion(manifest.engines.node)!.version;

    const refusing = Object.entries(lock.packages)
      .filter(([path, locked]) => path !== '' && !Array.isArray(locked.engines) && locked.engines?.node !== undefined)
      .filter(([, locked]) => !semver.satisfies(oldest, (locked.engines as { node: string }).node))
      .map(([path, locked]) => `${path}@${locked.version} wants node ${(locked.engines as { node: string }).node}`);

    expect(refusing).toEqual([]);
  });
});
