import type { App, CreateOptions, JobsOptions, VirtualClock } from '../../../src/index.js';
import { appOf, type Journal } from '../../support/app-fixtures.js';
import { MemoryBackend } from './memory-backend.js';

export { MemoryBackend } from './memory-backend.js';

/** An app on a VirtualClock whose jobs run on an in-memory backend, from the given classes. */
export async function jobsApp(
  classes: Array<new (...args: never[]) => unknown>,
  options: CreateOptions & { journal?: Journal; clock?: VirtualClock; jobsOptions?: Omit<JobsOptions, 'backend'> } = {},
): Promise<{ app: App; clock: VirtualClock; journal: Journal; backend: MemoryBackend }> {
  const backend = new MemoryBackend();
  const { jobsOptions, ...rest } = options;
  const made = await appOf(classes, { ...rest, jobs: { ...jobsOptions, backend } });
  return { ...made, backend };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}
