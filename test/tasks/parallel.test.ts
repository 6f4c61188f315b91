import { type BoundTask, task, TaskScope } from '../../src/tasks/index.js';
import { type Deferred, deferred, outcome, settleMicrotasks } from '../support/task-helpers.js';

interface User {
  id: string;
  name: string;
}
interface Post {
  title: string;
}

const getUser = task(async function getUser(_scope, id: string): Promise<User> {
  return { id, name: `user ${id}` };
});
const getPosts = task(async function getPosts(_scope, id: string): Promise<Post[]> {
  return [{ title: `post of ${id}` }];
});

/** A task held until released, recording the signal its body saw. */
function heldTask(name: string) {
  const release = deferred<string>();
  const seen: AbortSignal[] = [];
  let runs = 0;
  const held = task(
    async (scope, _id: string) => {
      runs++;
      seen.push(scope.signal);
      return release.promise;
    },
    { name },
  );
  return { held, release, seen, runs: () => runs };
}

describe('scope.all', () => {
  it('resolves to a typed tuple of outputs, in order', async () => {
    const scope = new TaskScope();

    const [user, posts] = await scope.all([getUser.bind('1'), getPosts.bind('1')]);

    const typed: [User, Post[]] = [user, posts]; // fails to compile if the tuple is not typed
    expect(typed).toEqual([{ id: '1', name: 'user 1' }, [{ title: 'post of 1' }]]);
  });

  it('resolves to an empty array for no tasks', async () => {
    await expect(new TaskScope().all([])).resolves.toEqual([]);
  });

  it('accepts a plain array of bound tasks of one type', async () => {
    const bounds: BoundTask<User>[] = ['1', '2'].map((id) => getUser.bind(id));

    const users: User[] = await new TaskScope().all(bounds);

    expect(users.map((u) => u.id)).toEqual(['1', '2']);
  });

  it('rejects with the first failure without waiting for the others', async () => {
    const { held } = heldTask('slow');
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('first failure');
    });

    const result = await outcome(new TaskScope().all([held.bind('1'), failing.bind('1')]));

    expect(result).toEqual({ status: 'rejected', reason: new Error('first failure') });
  });

  it("aborts a sibling's signal with the failure when no one else waits for it", async () => {
    const { held, seen } = heldTask('slow');
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('first failure');
    });

    await outcome(new TaskScope().all([held.bind('1'), failing.bind('1')]));

    expect(seen[0]!.aborted).toBe(true);
    expect(seen[0]!.reason).toEqual(new Error('first failure'));
  });

  it('never caches a sibling that fails with the abort after the group failed', async () => {
    const { held, release, seen } = heldTask('slow');
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('first failure');
    });
    const scope = new TaskScope();

    await outcome(scope.all([held.bind('1'), failing.bind('1')]));
    release.reject(new DOMException('aborted', 'AbortError'));
    await settleMicrotasks();

    expect(scope.size).toBe(0);
    expect(seen).toHaveLength(1);
  });

  it('lets a sibling that another caller shares run on, and caches its result', async () => {
    const { held, release, seen, runs } = heldTask('shared');
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('first failure');
    });
    const scope = new TaskScope();

    const otherCaller = held.run(scope, '1');
    await outcome(scope.all([held.bind('1'), failing.bind('1')]));
    release.resolve('shared value');

    await expect(otherCaller).resolves.toBe('shared value');
    await expect(held.run(scope, '1')).resolves.toBe('shared value');
    expect(seen[0]!.aborted).toBe(false);
    expect(runs()).toBe(1);
  });

  it("rejects with the caller's signal reason when it aborts, abandoning the group's runs", async () => {
    const { held, seen } = heldTask('slow');
    const caller = new AbortController();

    const group = new TaskScope().all([held.bind('1'), held.bind('2')], { signal: caller.signal });
    await settleMicrotasks();
    caller.abort(new Error('caller left'));

    await expect(group).rejects.toThrow('caller left');
    expect(seen.map((s) => s.aborted)).toEqual([true, true]);
  });

  it('rejects at once for a signal that is already aborted, starting nothing', async () => {
    const { held, seen } = heldTask('slow');
    const caller = new AbortController();
    caller.abort(new Error('already gone'));

    await expect(new TaskScope().all([held.bind('1')], { signal: caller.signal })).rejects.toThrow('already gone');
    expect(seen).toHaveLength(0);
  });

  it('serves completed results from the cache', async () => {
    let runs = 0;
    const counted = task(async (_scope, id: string) => {
      runs++;
      return id;
    });
    const scope = new TaskScope();
    await counted.run(scope, '1');

    await expect(scope.all([counted.bind('1'), counted.bind('2')])).resolves.toEqual(['1', '2']);
    expect(runs).toBe(2);
  });
});

describe('scope.allSettled', () => {
  it('waits for every task and resolves to each outcome, typed', async () => {
    const failing = task(async function failing(_scope, _id: string): Promise<number> {
      throw new Error('nope');
    });
    const scope = new TaskScope();

    const [user, failed] = await scope.allSettled([getUser.bind('1'), failing.bind('1')]);

    const typed: [PromiseSettledResult<User>, PromiseSettledResult<number>] = [user, failed];
    expect(typed).toEqual([
      { status: 'fulfilled', value: { id: '1', name: 'user 1' } },
      { status: 'rejected', reason: new Error('nope') },
    ]);
  });

  it('does not abort a slow task when another fails', async () => {
    const { held, release, seen } = heldTask('slow');
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('nope');
    });

    const settled = new TaskScope().allSettled([held.bind('1'), failing.bind('1')]);
    await settleMicrotasks();
    const abortedWhileWaiting = seen[0]!.aborted;
    release.resolve('slow value');

    await expect(settled).resolves.toEqual([
      { status: 'fulfilled', value: 'slow value' },
      { status: 'rejected', reason: new Error('nope') },
    ]);
    expect(abortedWhileWaiting).toBe(false);
  });

  it("rejects with the caller's signal reason when it aborts first", async () => {
    const { held, seen } = heldTask('slow');
    const caller = new AbortController();

    const settled = new TaskScope().allSettled([held.bind('1')], { signal: caller.signal });
    await settleMicrotasks();
    caller.abort(new Error('caller left'));

    await expect(settled).rejects.toThrow('caller left');
    expect(seen[0]!.aborted).toBe(true);
  });
});

describe('bound tasks', () => {
  it('run alone like task.run, sharing the cache', async () => {
    const scope = new TaskScope();
    const bound = getUser.bind('1');

    const alone = await bound.run(scope);

    expect(alone).toBe(await getUser.run(scope, '1'));
    expect(bound.name).toBe('getUser');
    expect(bound.input).toBe('1');
  });
});

/**
 * A defect ANCHORS.md records in Vorma's kit/tasks: a sibling's failure in RunParallel poisons the shared cache
 * with "context canceled".
 */
describe('Vorma defect, done right', () => {
  it('does not cache a sibling aborted by a failure in all(): the next caller gets a real result', async () => {
    const release = deferred();
    let slowRuns = 0;
    const slow = task(async (scope, _id: string) => {
      slowRuns++;
      await release.promise;
      scope.signal.throwIfAborted(); // a well-behaved body fails with the abort reason, like ctx.Err()
      return 'slow result';
    });
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('sibling failed');
    });
    const scope = new TaskScope();

    const group = await outcome(scope.all([slow.bind('1'), failing.bind('1')]));
    release.resolve();
    await settleMicrotasks();
    const later = await slow.run(scope, '1');

    expect(group).toEqual({ status: 'rejected', reason: new Error('sibling failed') });
    expect(later).toBe('slow result');
    expect(slowRuns).toBe(2);
  });

  it('starts a fresh run for a caller that asks for an aborted sibling before that sibling has settled', async () => {
    const releases: Array<Deferred<string>> = [];
    const slow = task(async (_scope, _id: string) => {
      const release = deferred<string>();
      releases.push(release);
      return release.promise;
    });
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('sibling failed');
    });
    const scope = new TaskScope();
    await outcome(scope.all([slow.bind('1'), failing.bind('1')]));

    const late = slow.run(scope, '1');
    await settleMicrotasks();
    releases[0]!.resolve('from the aborted run');
    releases[1]!.resolve('fresh');

    await expect(late).resolves.toBe('fresh');
    await expect(slow.run(scope, '1')).resolves.toBe('fresh');
    expect(releases).toHaveLength(2);
  });

  it("does not cache an aborted sibling that throws its signal's reason, even with cacheErrors", async () => {
    const release = deferred();
    let runs = 0;
    const slow = task(
      async (scope, _id: string) => {
        runs++;
        if (runs > 1) return 'real result';
        await release.promise;
        throw scope.signal.reason; // the failure that aborted it: a plain Error, not an AbortError
      },
      { cacheErrors: true },
    );
    const failing = task(async (_scope, _id: string): Promise<string> => {
      throw new Error('sibling failed');
    });
    const scope = new TaskScope();
    await outcome(scope.all([slow.bind('1'), failing.bind('1')]));

    release.resolve();
    await settleMicrotasks();
    const later = await slow.run(scope, '1');

    expect(later).toBe('real result');
    expect(runs).toBe(2);
  });
});
