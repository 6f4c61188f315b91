import { Component, Job, Jobs, type JobContext, type JobId, type JobInfo } from '../../src/index.js';
import { typeOf } from '../support/type-equality.js';
import { jobsApp } from '../jobs/support/job-fixtures.js';

// What @Job and Jobs accept, pinned: each `@ts-expect-error` line must be an error (tsc --noEmit, part of `npm test`,
// fails on one that compiles).

@Component()
class Mailer {
  @Job('no-arguments') async none(): Promise<void> {}
  @Job('payload-only') async payloadOnly(_payload: { to: string }): Promise<void> {}
  @Job('with-context') async withContext(_payload: { to: string }, { signal }: JobContext): Promise<void> {
    await Promise.resolve(signal.aborted);
  }
  @Job('synchronous') synchronous(): void {}
}

class Misuse {
  // @ts-expect-error the second parameter is the job context
  @Job('a') async wantsANumber(_payload: unknown, _context: number): Promise<void> {}
  // @ts-expect-error the options are checked
  @Job('b', { retries: 3 }) async misspeltOption(): Promise<void> {}
  // @ts-expect-error a backoff is one of the documented shapes
  @Job('c', { backoff: { type: 'linear' } }) async unknownBackoff(): Promise<void> {}
}

describe('the types of @Job and Jobs', () => {
  it('accept handlers that take nothing, a payload, or a payload and the context, and type the verbs', async () => {
    const { app } = await jobsApp([Mailer]);
    await app.start();
    const jobs = app.get(Jobs);

    const id = typeOf(await jobs.enqueue('payload-only', { to: 'a' })).is<JobId>();
    const info = typeOf(await jobs.get(id)).is<JobInfo | undefined>();

    expect(info?.name).toBe('payload-only');
    expect(Misuse).toBeDefined();
  });
});
