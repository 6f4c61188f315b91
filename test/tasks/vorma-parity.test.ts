/**
 * Vorma kit/tasks parity suite
 *
 * Ports every case of Vorma's kit/tasks test file (tasks_test.go), grouped by the part of Vorma's kit/tasks
 * reference that each exercises. Reference: the seed document /work/shared/seeds/001_26aaf50f34863aae.txt
 * (Vorma's kit/tasks page, title "tasks"); its sections, by describe block:
 * - "Context", "Task", "Bound Tasks (for parallel execution)": the basics below (NewCtx, Run, RunParallel);
 * - "Task Composition": shared dependencies, deduplicated across the call graph;
 * - "Task" (comparable inputs): inputs, including struct inputs keyed by value;
 * - "TTL Behavior" and "Global Context + TTL for Thundering Herd Prevention": ttl.
 * Each test name ends with the Go test it ports, in parentheses. Sleeps become VirtualClock sleeps; where Vorma's
 * behaviour is one of its defects (cached errors, negative ttl silently disabled), the port asserts what Ordo does
 * instead and says so. The defects themselves are tested in the topic files (errors, parallel, ttl, cycles,
 * max-entries, signals), under "Vorma defect, done right".
 */
import { task, TaskOptionError, TaskScope } from '../../src/tasks/index.js';
import { InvalidDurationError, VirtualClock } from '../../src/time/index.js';
import { outcome, thrown } from '../support/task-helpers.js';

function counter() {
  let runs = 0;
  return {
    next: () => ++runs,
    get runs() {
      return runs;
    },
  };
}

describe('Vorma parity: basics', () => {
  it('runs a task and returns its output (BasicTaskExecution)', async () => {
    const greet = task(async (_scope, input: string) => `Hello, ${input}`);

    await expect(greet.run(new TaskScope(), 'World')).resolves.toBe('Hello, World');
  });

  it('runs bound tasks in parallel, not one after the other (ParallelExecution)', async () => {
    const clock = new VirtualClock();
    const double = task(async (_scope, n: number) => {
      await clock.sleep(100);
      return n * 2;
    });
    const append = task(async (_scope, s: string) => {
      await clock.sleep(100);
      return `${s}3`;
    });
    const scope = new TaskScope({ clock });
    let done = false;

    const both = scope.all([double.bind(5), append.bind('3')]).then((outputs) => {
      done = true;
      return outputs;
    });
    await clock.advance(100);
    const doneAfter100ms = done;

    await expect(both).resolves.toEqual([10, '33']);
    expect(doneAfter100ms).toBe(true);
  });

  it('lets a task call another task (TaskDependencies)', async () => {
    const auth = task(async (_scope, id: string) => `token-${id}`);
    const user = task(async (scope, id: string) => `user-${await auth.run(scope, id)}`);

    await expect(user.run(new TaskScope(), '123')).resolves.toBe('user-token-123');
  });

  it('rejects with the abort reason when the scope is aborted mid-run (ContextCancellation)', async () => {
    const clock = new VirtualClock();
    const slow = task(async (scope, _input: string) => {
      await clock.sleep(200, scope.signal);
      return 'done';
    });
    const controller = new AbortController();
    const scope = new TaskScope({ clock, signal: controller.signal });

    const run = slow.run(scope, 'test');
    await clock.advance(50);
    controller.abort(new Error('canceled'));

    await expect(run).rejects.toThrow('canceled');
  });

  it('passes a task failure to the caller (ErrorHandling)', async () => {
    const failing = task(async (_scope, _input: string): Promise<string> => {
      throw new Error('task failed');
    });

    await expect(failing.run(new TaskScope(), 'test')).rejects.toThrow('task failed');
  });

  it('runs once for three concurrent callers (OnceExecution)', async () => {
    const clock = new VirtualClock();
    const count = counter();
    const once = task(async (_scope, _input: string) => {
      count.next();
      await clock.sleep(50);
      return 'done';
    });
    const scope = new TaskScope({ clock });

    const runs = [once.run(scope, 'test'), once.run(scope, 'test'), once.run(scope, 'test')];
    await clock.advance(50);

    await expect(Promise.all(runs)).resolves.toEqual(['done', 'done', 'done']);
    expect(count.runs).toBe(1);
  });
});

describe('Vorma parity: shared dependencies', () => {
  it('runs a dependency shared by two parallel tasks once (ParallelTasksWithSharedDependencies)', async () => {
    const clock = new VirtualClock();
    const authRuns = counter();
    const auth = task(async (_scope, _input: object) => {
      authRuns.next();
      await clock.sleep(100);
      return 123;
    });
    const user = task(async (scope, _id: string) => {
      const token = await auth.run(scope, {});
      await clock.sleep(50);
      return `user-${token}`;
    });
    const user2 = task(async (scope, _id: string) => {
      const token = await auth.run(scope, {});
      await clock.sleep(50);
      return `user2-${token}`;
    });
    const scope = new TaskScope({ clock });

    const both = scope.all([user.bind('test'), user2.bind('test')]);
    await clock.advance(150);

    await expect(both).resolves.toEqual(['user-123', 'user2-123']);
    expect(authRuns.runs).toBe(1);
  });

  it('shares the cache between callers that bring their own signal (SharesTaskCacheWithParent)', async () => {
    const count = counter();
    const ok = task(async (_scope, input: string) => {
      count.next();
      return `ok-${input}`;
    });
    const scope = new TaskScope();

    const first = await ok.run(scope, 'a');
    const second = await ok.run(scope, 'a', { signal: new AbortController().signal });

    expect([first, second]).toEqual(['ok-a', 'ok-a']);
    expect(count.runs).toBe(1);
  });

  it('rejects a caller whose own signal is already aborted (UsesProvidedNativeContext)', async () => {
    const ok = task(async (_scope, _input: string) => 'ok');
    const controller = new AbortController();
    controller.abort(new Error('canceled'));

    await expect(ok.run(new TaskScope(), 'ignored', { signal: controller.signal })).rejects.toThrow('canceled');
  });

  it('runs every task of a composed graph once per scope, dependencies first (ComprehensiveSharedDependencies)', async () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    const runs = { auth: 0, user: 0, user2: 0, profile: 0 };
    const auth = task(async (_scope, _input: object) => {
      order.push('auth-start');
      runs.auth++;
      await clock.sleep(50);
      order.push('auth-end');
      return 123;
    });
    const makeUser = (name: 'user' | 'user2') =>
      task(async (scope, input: string) => {
        order.push(`${name}-start`);
        runs[name]++;
        const token = await auth.run(scope, {});
        await clock.sleep(25);
        order.push(`${name}-end`);
        return `${name}-${input}-${token}`;
      });
    const user = makeUser('user');
    const user2 = makeUser('user2');
    const profile = task(async (scope, input: string) => {
      order.push('profile-start');
      runs.profile++;
      const [userData, user2Data] = await scope.all([user.bind(input), user2.bind(`${input}_alt`)]);
      await clock.sleep(25);
      order.push('profile-end');
      return { user: userData, user2: user2Data, status: 'complete' };
    });

    const first = profile.run(new TaskScope({ clock }), 'test_input_1');
    await clock.advance(100);
    const second = profile.run(new TaskScope({ clock }), 'test_input_2');
    await clock.advance(100);

    await expect(first).resolves.toEqual({
      user: 'user-test_input_1-123',
      user2: 'user2-test_input_1_alt-123',
      status: 'complete',
    });
    await expect(second).resolves.toEqual({
      user: 'user-test_input_2-123',
      user2: 'user2-test_input_2_alt-123',
      status: 'complete',
    });
    expect(runs).toEqual({ auth: 2, user: 2, user2: 2, profile: 2 });
    const firstRun = order.slice(0, order.indexOf('profile-end') + 1);
    expect(firstRun.indexOf('auth-end')).toBeLessThan(firstRun.indexOf('user-end'));
    expect(firstRun.indexOf('auth-end')).toBeLessThan(firstRun.indexOf('user2-end'));
    expect(firstRun.indexOf('user-end')).toBeLessThan(firstRun.indexOf('profile-end'));
    expect(firstRun.indexOf('user2-end')).toBeLessThan(firstRun.indexOf('profile-end'));
  });
});

describe('Vorma parity: inputs', () => {
  it('uses the cached result for the same input (Same_Input_Uses_Cache)', async () => {
    const count = counter();
    const result = task(async (_scope, input: string) => {
      count.next();
      return `result-${input}`;
    });
    const scope = new TaskScope();

    const outputs = [await result.run(scope, 'foo'), await result.run(scope, 'foo'), await result.run(scope, 'foo')];

    expect(outputs).toEqual(['result-foo', 'result-foo', 'result-foo']);
    expect(count.runs).toBe(1);
  });

  it('runs once per distinct input (Different_Inputs_Execute_Separately)', async () => {
    const seen: string[] = [];
    const result = task(async (_scope, input: string) => {
      seen.push(input);
      return `result-${input}`;
    });
    const scope = new TaskScope();

    const outputs = [];
    for (const input of ['foo', 'bar', 'baz', 'foo', 'bar']) outputs.push(await result.run(scope, input));

    expect(outputs).toEqual(['result-foo', 'result-bar', 'result-baz', 'result-foo', 'result-bar']);
    expect(seen).toEqual(['foo', 'bar', 'baz']);
  });

  it('caches number inputs by value (Different_Input_Types)', async () => {
    const count = counter();
    const double = task(async (_scope, n: number) => {
      count.next();
      return n * 2;
    });
    const scope = new TaskScope();

    const outputs = [await double.run(scope, 5), await double.run(scope, 10), await double.run(scope, 5)];

    expect(outputs).toEqual([10, 20, 10]);
    expect(count.runs).toBe(2);
  });

  it('caches object inputs by their contents (Struct_Inputs)', async () => {
    const count = counter();
    const introduce = task(async (_scope, p: { name: string; age: number }) => {
      count.next();
      return `${p.name} is ${p.age}`;
    });
    const scope = new TaskScope();

    const outputs = [
      await introduce.run(scope, { name: 'Alice', age: 30 }),
      await introduce.run(scope, { name: 'Bob', age: 25 }),
      await introduce.run(scope, { name: 'Alice', age: 30 }),
    ];

    expect(outputs).toEqual(['Alice is 30', 'Bob is 25', 'Alice is 30']);
    expect(count.runs).toBe(2);
  });

  it('runs a duplicated input in one parallel call once (Parallel_Different_Inputs)', async () => {
    const clock = new VirtualClock();
    const count = counter();
    const result = task(async (_scope, input: string) => {
      count.next();
      await clock.sleep(50);
      return `result-${input}`;
    });
    const scope = new TaskScope({ clock });

    const all = scope.all([result.bind('alpha'), result.bind('beta'), result.bind('alpha')]);
    await clock.advance(50);

    await expect(all).resolves.toEqual(['result-alpha', 'result-beta', 'result-alpha']);
    expect(count.runs).toBe(2);
  });
});

describe('Vorma parity: ttl', () => {
  it('serves the cached result within the ttl and runs again after it (TTL_BasicExpiration)', async () => {
    const clock = new VirtualClock();
    const count = counter();
    const stamp = task(async (_scope, input: string) => `${input}-${count.next()}`);
    const scope = new TaskScope({ clock, ttl: 100 });

    const first = await stamp.run(scope, 'test');
    await clock.advance(50);
    const second = await stamp.run(scope, 'test');
    await clock.advance(60);
    const third = await stamp.run(scope, 'test');

    expect([first, second, third]).toEqual(['test-1', 'test-1', 'test-2']);
  });

  it('never expires results without a ttl (TTL_NoTTL_NeverExpires)', async () => {
    const clock = new VirtualClock();
    const count = counter();
    const result = task(async (_scope, _input: string) => count.next());
    const scope = new TaskScope({ clock });

    for (let i = 0; i < 5; i++) {
      await result.run(scope, 'test');
      await clock.advance(50);
    }

    expect(count.runs).toBe(1);
  });

  // Vorma's TTL_ZeroTTL_NeverExpires: there, ttl 0 meant "no ttl". In Ordo `ttl: 0` means "share only while in
  // flight" (its rewrite's semantics), so the port asserts that, and no ttl is the never-expiring case above.
  it('runs again on every sequential call with ttl 0 (TTL_ZeroTTL, Ordo semantics)', async () => {
    const count = counter();
    const result = task(async (_scope, _input: string) => count.next());
    const scope = new TaskScope({ clock: new VirtualClock(), ttl: 0 });

    const outputs = [];
    for (let i = 0; i < 3; i++) outputs.push(await result.run(scope, 'test'));

    expect(outputs).toEqual([1, 2, 3]);
  });

  it('expires each input on its own schedule (TTL_DifferentInputs_SeparateExpiration)', async () => {
    const clock = new VirtualClock();
    const count = counter();
    const stamp = task(async (_scope, input: string) => `${input}-${count.next()}`);
    const scope = new TaskScope({ clock, ttl: 100 });

    const a1 = await stamp.run(scope, 'a');
    await clock.advance(50);
    const b1 = await stamp.run(scope, 'b');
    await clock.advance(60);
    const a2 = await stamp.run(scope, 'a');
    const b2 = await stamp.run(scope, 'b');

    expect([a1, b1, a2, b2]).toEqual(['a-1', 'b-2', 'a-3', 'b-2']);
  });

  it('removes expired entries when the scope is next used (TTL_Cleanup_RemovesExpiredEntries)', async () => {
    const clock = new VirtualClock();
    const double = task(async (_scope, n: number) => n * 2);
    const scope = new TaskScope({ clock, ttl: 100 });
    for (let i = 0; i < 10; i++) await double.run(scope, i);
    const sizeBefore = scope.size;

    await clock.advance(110);
    await double.run(scope, 100);

    expect(sizeBefore).toBe(10);
    expect(scope.size).toBe(1);
  });

  it('sweeps expired entries at most once per ttl (TTL_Cleanup_OnlyRunsOncePerTTLPeriod)', async () => {
    const clock = new VirtualClock();
    const identity = task(async (_scope, n: number) => n);
    const scope = new TaskScope({ clock, ttl: 200 });
    await identity.run(scope, 1);

    await clock.advance(50);
    await identity.run(scope, 2);
    const sweepsBeforeTtl = scope.stats.sweeps;
    await clock.advance(160);
    await identity.run(scope, 3);
    await identity.run(scope, 4);

    expect(sweepsBeforeTtl).toBe(0);
    expect(scope.stats.sweeps).toBe(1);
    expect(scope.size).toBe(3); // 1 expired and was swept; 2, 3 and 4 are live
  });

  it('refreshes an expired entry once for concurrent callers (TTL_ConcurrentAccess_WithExpiration)', async () => {
    const clock = new VirtualClock();
    const count = counter();
    const stamp = task(async (_scope, input: string) => {
      const n = count.next();
      await clock.sleep(10);
      return `${input}-${n}`;
    });
    const scope = new TaskScope({ clock, ttl: 100 });

    const firstWave = Array.from({ length: 10 }, () => stamp.run(scope, 'test'));
    await clock.advance(10);
    const firstOutputs = await Promise.all(firstWave);
    await clock.advance(110);
    const secondWave = Array.from({ length: 10 }, () => stamp.run(scope, 'test'));
    await clock.advance(10);
    const secondOutputs = await Promise.all(secondWave);

    expect(new Set(firstOutputs)).toEqual(new Set(['test-1']));
    expect(new Set(secondOutputs)).toEqual(new Set(['test-2']));
    expect(count.runs).toBe(2);
  });

  it('expires a shared dependency of parallel tasks together with them (TTL_ParallelExecution_WithSharedDependency)', async () => {
    const clock = new VirtualClock();
    const runs = { auth: 0, task1: 0, task2: 0 };
    const auth = task(async (_scope, _input: object) => {
      const n = ++runs.auth;
      await clock.sleep(20);
      return n;
    });
    const task1 = task(async (scope, _input: string) => {
      runs.task1++;
      return `task1-${await auth.run(scope, {})}`;
    });
    const task2 = task(async (scope, _input: string) => {
      runs.task2++;
      return `task2-${await auth.run(scope, {})}`;
    });
    const scope = new TaskScope({ clock, ttl: 100 });
    const parallel = async () => {
      const both = scope.all([task1.bind('input'), task2.bind('input')]);
      await clock.advance(20);
      return both;
    };

    const first = await parallel();
    await clock.advance(30);
    const second = await parallel();
    await clock.advance(100);
    const third = await parallel();

    expect(first).toEqual(['task1-1', 'task2-1']);
    expect(second).toEqual(['task1-1', 'task2-1']);
    expect(third).toEqual(['task1-2', 'task2-2']);
    expect(runs).toEqual({ auth: 2, task1: 2, task2: 2 });
  });

  it('runs a failed task again once its cached failure expires (TTL_ExpiredResultsAllowRetry, with cacheErrors)', async () => {
    const clock = new VirtualClock();
    const count = counter();
    let shouldFail = true;
    const flaky = task(
      async (_scope, _input: string) => {
        count.next();
        if (shouldFail) throw new Error('intentional error');
        return 'success';
      },
      { cacheErrors: true },
    );
    const scope = new TaskScope({ clock, ttl: 100 });

    const first = await outcome(flaky.run(scope, 'test'));
    const retry = await outcome(flaky.run(scope, 'test'));
    await clock.advance(110);
    shouldFail = false;
    const afterTtl = await flaky.run(scope, 'test');

    expect(first.status).toBe('rejected');
    expect(retry.status).toBe('rejected');
    expect(afterTtl).toBe('success');
    expect(count.runs).toBe(2);
  });

  it('runs again every time with a ttl shorter than the gap between calls (TTL_VeryShortTTL)', async () => {
    const clock = new VirtualClock();
    const count = counter();
    const result = task(async (_scope, _input: string) => count.next());
    const scope = new TaskScope({ clock, ttl: 10 });

    const outputs = [];
    for (let i = 0; i < 5; i++) {
      outputs.push(await result.run(scope, 'test'));
      await clock.advance(15);
    }

    expect(outputs).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps the caches of two scopes apart (TTL_MultipleContexts_IndependentCaches)', async () => {
    const clock = new VirtualClock();
    const count = counter();
    const stamp = task(async (_scope, input: string) => `${input}-${count.next()}`);
    const scope1 = new TaskScope({ clock, ttl: 100 });
    const scope2 = new TaskScope({ clock, ttl: 100 });

    const outputs = [
      await stamp.run(scope1, 'test'),
      await stamp.run(scope2, 'test'),
      await stamp.run(scope1, 'test'),
      await stamp.run(scope2, 'test'),
    ];

    expect(outputs).toEqual(['test-1', 'test-2', 'test-1', 'test-2']);
  });

  // Vorma's TestNewCtxWithTTLNegativeDisablesTTL: a negative ttl silently meant "no ttl". Ordo refuses it.
  it('refuses a negative ttl instead of silently disabling it (NewCtxWithTTLNegativeDisablesTTL)', () => {
    const error = thrown(() => new TaskScope({ ttl: -1000 }));

    expect(error).toBeInstanceOf(TaskOptionError);
    expect((error as Error).cause).toBeInstanceOf(InvalidDurationError);
  });

  // TestRunWithAnyInputTypeChecks / TypedNilPointer check Go's runtime type assertion of `any` inputs; in
  // TypeScript the input type is checked at compile time, so there is nothing to port.
});
