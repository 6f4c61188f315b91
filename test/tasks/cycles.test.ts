import { type Task, task, TaskCycleError, TaskScope } from '../../src/tasks/index.js';
import { deferred, outcome } from '../support/task-helpers.js';

async function rejection(promise: Promise<unknown>): Promise<TaskCycleError> {
  const result = await outcome(promise);
  if (result.status !== 'rejected') throw new Error('expected a rejection');
  return result.reason as TaskCycleError;
}

describe('task cycles', () => {
  it('names the path when a task reaches itself through another: getUser("1") -> getPosts("1") -> getUser("1")', async () => {
    const getUser: Task<string, string> = task(async function getUser(scope, id: string) {
      return `user with ${(await getPosts.run(scope, id)).length} posts`;
    });
    const getPosts: Task<string, string[]> = task(async function getPosts(scope, id: string) {
      return [await getUser.run(scope, id)];
    });

    const error = await rejection(getUser.run(new TaskScope(), '1'));

    expect(error).toBeInstanceOf(TaskCycleError);
    expect(error.code).toBe('ORDO_TASK_CYCLE');
    expect(error.message).toContain('getUser("1") -> getPosts("1") -> getUser("1")');
    expect(error.path).toEqual(['getUser("1")', 'getPosts("1")', 'getUser("1")']);
  });

  it('names a direct self-call as a one-step cycle', async () => {
    const loop: Task<number, number> = task(
      async function loop_(scope, n: number) {
        return loop.run(scope, n);
      },
      { name: 'loop' },
    );

    const error = await rejection(loop.run(new TaskScope(), 7));

    expect(error.path).toEqual(['loop(7)', 'loop(7)']);
  });

  it('detects a cycle closed through scope.all', async () => {
    const parent: Task<string, string> = task(async function parent(scope, id: string) {
      const [a, b] = await scope.all([leaf.bind(id), child.bind(id)]);
      return a + b;
    });
    const leaf = task(async function leaf(_scope, id: string) {
      return id;
    });
    const child: Task<string, string> = task(async function child(scope, id: string) {
      return parent.run(scope, id);
    });

    const error = await rejection(parent.run(new TaskScope(), 'x'));

    expect(error.path).toEqual(['parent("x")', 'child("x")', 'parent("x")']);
  });

  it('detects a cycle through a dependency another task started (the wait-for graph, not the call stack)', async () => {
    const gate = deferred();
    // top runs left and right in parallel; both need shared; shared (started by left) then needs right.
    const top: Task<string, unknown> = task(async function top(scope, id: string) {
      return scope.all([left.bind(id), right.bind(id)]);
    });
    const left: Task<string, unknown> = task(async function left(scope, id: string) {
      return shared.run(scope, id);
    });
    const right: Task<string, unknown> = task(async function right(scope, id: string) {
      await gate.promise;
      return shared.run(scope, id);
    });
    const shared: Task<string, unknown> = task(async function shared(scope, id: string) {
      gate.resolve();
      await Promise.resolve();
      return right.run(scope, id);
    });

    const error = await rejection(top.run(new TaskScope(), '1'));

    expect(error).toBeInstanceOf(TaskCycleError);
    expect(error.path[0]).toBe(error.path[error.path.length - 1]);
    expect(error.path).toContain('right("1")');
    expect(error.path).toContain('shared("1")');
  });

  it('lets a task recurse with different inputs, memoizing each (fib)', async () => {
    let runs = 0;
    // An arrow function and the name option: inside `function fib`, `fib` would be the function, not the task.
    const fib: Task<number, bigint> = task(
      async (scope, n: number): Promise<bigint> => {
        runs++;
        if (n < 2) return BigInt(n);
        const [a, b] = await scope.all([fib.bind(n - 1), fib.bind(n - 2)]);
        return a + b;
      },
      { name: 'fib' },
    );

    const result = await fib.run(new TaskScope(), 90);

    expect(result).toBe(2880067194370816120n);
    expect(runs).toBe(91);
  });

  it('lets two tasks share a dependency in a diamond without calling it a cycle', async () => {
    let baseRuns = 0;
    const base = task(async function base(_scope, id: string) {
      baseRuns++;
      return id;
    });
    const viaA = task(async function viaA(scope, id: string) {
      return `a:${await base.run(scope, id)}`;
    });
    const viaB = task(async function viaB(scope, id: string) {
      return `b:${await base.run(scope, id)}`;
    });
    const top = task(async function top(scope, id: string) {
      return scope.all([viaA.bind(id), viaB.bind(id)]);
    });

    await expect(top.run(new TaskScope(), '1')).resolves.toEqual(['a:1', 'b:1']);
    expect(baseRuns).toBe(1);
  });

  it('does not cache the cycle error unless errors are cached: the next call from outside succeeds', async () => {
    let reentrant = true;
    const getUser: Task<string, string> = task(
      async (scope, id: string) => (reentrant ? getUser.run(scope, id) : `user ${id}`),
      { name: 'getUser' },
    );
    const scope = new TaskScope();

    const error = await rejection(getUser.run(scope, '1'));
    reentrant = false;

    expect(error).toBeInstanceOf(TaskCycleError);
    await expect(getUser.run(scope, '1')).resolves.toBe('user 1');
  });
});

describe('deep task graphs', () => {
  it('memoizes recursion thousands of levels deep without overflowing the stack', async () => {
    const depth: Task<number, number> = task(
      async (scope, n: number): Promise<number> => (n === 0 ? 0 : 1 + (await depth.run(scope, n - 1))),
      { name: 'depth' },
    );

    await expect(depth.run(new TaskScope(), 20_000)).resolves.toBe(20_000);
  });

  it('aborts a deep chain of abandoned runs without overflowing the stack', async () => {
    const gate = deferred();
    const signals: AbortSignal[] = [];
    const chain: Task<number, number> = task(
      async (scope, n: number): Promise<number> => {
        signals.push(scope.signal);
        if (n === 0) {
          await gate.promise;
          return 0;
        }
        return chain.run(scope, n - 1);
      },
      { name: 'chain' },
    );
    const scope = new TaskScope();
    const caller = new AbortController();
    const waiting = chain.run(scope, 20_000, { signal: caller.signal });
    while (signals.length <= 20_000) await Promise.resolve();

    caller.abort(new Error('gone'));
    await outcome(waiting);

    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(scope.size).toBe(0);
  });
});

/** A defect ANCHORS.md records in Vorma's kit/tasks: a task that calls itself with the same input deadlocks. */
describe('Vorma defect, done right', () => {
  it('fails a task that calls itself with the same input with TaskCycleError instead of deadlocking', async () => {
    const loop: Task<number, number> = task(async function loop_(scope, n: number): Promise<number> {
      return loop.run(scope, n);
    });

    const result = await outcome(loop.run(new TaskScope(), 1));

    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TaskCycleError);
  });
});
