import { availableParallelism } from 'node:os';

/** Jest in ESM mode through ts-jest; `npm test` type-checks with tsc first because isolatedModules skips it here. */
export default {
  // Jest's default, one worker fewer than the cores, is a single worker on a 2-core machine. The slow suites wait on
  // child processes, servers and builds more than they compute, so two workers there halve the run (200 → 104 s).
  maxWorkers: Math.max(2, availableParallelism() - 1),
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 20000,
};
