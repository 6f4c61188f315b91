import fc from 'fast-check';
import { task, TaskScope } from '../../src/tasks/index.js';
import { deferred, outcome, settleMicrotasks } from '../support/task-helpers.js';

describe('task memo properties', () => {
  it('runs the body exactly once per distinct input for any interleaving of callers, and each gets its own output', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }),
        fc.scheduler(),
        async (inputs, s) => {
          const runs = new Map<number, number>();
          const square = task(async (_scope, n: number) => {
            runs.set(n, (runs.get(n) ?? 0) + 1);
            await s.schedule(Promise.resolve(), `body ${n}`);
            return n * n;
          });
          const scope = new TaskScope();

          const calls = inputs.map((n) => s.schedule(Promise.resolve(), `call ${n}`).then(() => square.run(scope, n)));
          const outputs = await s.waitFor(Promise.all(calls));

          expect(outputs).toEqual(inputs.map((n) => n * n));
          expect([...runs.keys()].sort()).toEqual([...new Set(inputs)].sort());
          expect([...runs.values()].every((count) => count === 1)).toBe(true);
        },
      ),
    );
  });

  it('never caches an error: after each failure the next call runs the body again', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }), async (fails) => {
        let runs = 0;
        const flaky = task(async (_scope, _id: string) => {
          const failsNow = fails[runs] ?? false;
          runs++;
          if (failsNow) throw new Error(`failure ${runs}`);
          return runs;
        });
        const scope = new TaskScope();

        const results = [];
        for (let i = 0; i < fails.length; i++) results.push(await outcome(flaky.run(scope, 'x')));

        const firstSuccess = fails.indexOf(false);
        const expectedRuns = firstSuccess === -1 ? fails.length : firstSuccess + 1;
        expect(runs).toBe(expectedRuns);
        results.forEach((result, i) => {
          if (i < expectedRuns - 1 || firstSuccess === -1) expect(result.status).toBe('rejected');
          else expect(result).toEqual({ status: 'fulfilled', value: expectedRuns });
        });
      }),
    );
  });

  it('resolves the callers who stay, whichever callers abort, with one run while anyone stays', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }), async (leaves) => {
        const release = deferred<string>();
        let runs = 0;
        const held = task(async (_scope, _id: string) => {
          runs++;
          return release.promise;
        });
        const scope = new TaskScope();
        const controllers = leaves.map(() => new AbortController());

        const waits = controllers.map((c) => held.run(scope, 'x', { signal: c.signal }));
        await settleMicrotasks(); // the body has started
        leaves.forEach((leave, i) => leave && controllers[i]!.abort(new Error('left')));
        release.resolve('value');
        const outcomes = await Promise.all(waits.map(outcome));

        outcomes.forEach((result, i) =>
          expect(result).toEqual(
            leaves[i] ? { status: 'rejected', reason: new Error('left') } : { status: 'fulfilled', value: 'value' },
          ),
        );
        expect(runs).toBe(1);
        expect(scope.size).toBe(leaves.every(Boolean) ? 0 : 1);
      }),
    );
  });
});
