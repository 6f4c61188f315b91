import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface LockedPackage {
  version?: string;
  dev?: boolean;
  engines?: { node?: string } | string[];
}

interface Manifest {
  engines: { node: string };
  devEngines: { runtime: { name: string; version: string } };
}

const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as Manifest;
const lock = JSON.parse(readFileSync(`${root}/package-lock.json`, 'utf8')) as {
  packages: Record<string, LockedPackage>;
};

/** The locked packages (dev-only or not, as asked) whose `engines.node` refuses `node`, one line each. */
function refusing(node: string, { dev }: { dev: boolean }): string[] {
  return Object.entries(lock.packages)
    .filter(([path, locked]) => path !== '' && (locked.dev === true) === dev)
    .filter(([, locked]) => !Array.isArray(locked.engines) && locked.engines?.node !== undefined)
    .filter(([, locked]) => !semver.satisfies(node, (locked.engines as { node: string }).node))
    .map(([path, locked]) => `${path}@${locked.version} wants node ${(locked.engines as { node: string }).node}`);
}

describe('the locked dependency tree', () => {
  it('installs for users on the oldest Node that engines admits', () => {
    expect(refusing(semver.minVersion(manifest.engines.node)!.version, { dev: false })).toEqual([]);
  });

  it('installs for contributors on the oldest Node that devEngines admits, so they get no EBADENGINE warning', () => {
    expect(manifest.devEngines.runtime.name).toBe('node');

    expect(refusing(semver.minVersion(manifest.devEngines.runtime.version)!.version, { dev: true })).toEqual([]);
  });
});
