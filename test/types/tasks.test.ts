import { injectable } from 'inversify';
import { Task, task, TaskScope, type BoundTask } from '../../src/index.js';
import { typeOf } from '../support/type-equality.js';

// The inference users rely on, pinned: each `typeOf(...).is<...>()` compiles only for exactly that type, and each
// `@ts-expect-error` line must be an error (tsc --noEmit, part of `npm test`, fails on one that compiles). The
// runtime assertions check that the values match what the types promise.

const getUser = task(async (_scope, id: number) => ({ id }));
const nameLength = task(async (_scope, name: string) => name.length);

describe('the types of task()', () => {
  it('infers Task<input, output> from the body', async () => {
    const typed = typeOf(getUser).is<Task<number, { id: number }>>();

    await expect(typed.run(new TaskScope(), 7)).resolves.toEqual({ id: 7 });
  });

  it('gives run() and bind() the input type and the output type of the body', async () => {
    const scope = new TaskScope();

    const user = typeOf(await getUser.run(scope, 1)).is<{ id: number }>();
    const bound = typeOf(getUser.bind(2)).is<BoundTask<{ id: number }>>();

    expect(user).toEqual({ id: 1 });
    await expect(bound.run(scope)).resolves.toEqual({ id: 2 });
  });

  it('refuses an input of another type, and a body that does not return a promise', async () => {
    // Never called: these lines are here for the compiler, which must reject each one.
    const misuses = (scope: TaskScope) => {
      // @ts-expect-error getUser takes a number
      void getUser.run(scope, 'one');
      // @ts-expect-error nor can it be bound to a string
      getUser.bind('one');
      // @ts-expect-error a task body returns a promise: the result is shared as one
      task((_scope, id: number) => id);
    };

    await expect(getUser.run(new TaskScope(), 1)).resolves.toEqual({ id: 1 });
    expect(misuses).toBeInstanceOf(Function);
  });
});

describe('the types of scope.all() and scope.allSettled()', () => {
  it("all() resolves to a tuple with each bound task's output at its position", async () => {
    const scope = new TaskScope();

    const outputs = typeOf(await scope.all([getUser.bind(1), nameLength.bind('ada')])).is<[{ id: number }, number]>();

    expect(outputs).toEqual([{ id: 1 }, 3]);
  });

  it('allSettled() resolves to a tuple of settled results, one per position', async () => {
    const scope = new TaskScope();

    const outcomes = typeOf(await scope.allSettled([getUser.bind(1), nameLength.bind('ada')])).is<
      [PromiseSettledResult<{ id: number }>, PromiseSettledResult<number>]
    >();

    expect(outcomes).toEqual([
      { status: 'fulfilled', value: { id: 1 } },
      { status: 'fulfilled', value: 3 },
    ]);
  });

  it('keeps an array of bound tasks an array of outputs', async () => {
    const scope = new TaskScope();
    const bounds = [1, 2].map((id) => getUser.bind(id));

    const outputs = typeOf(await scope.all(bounds)).is<{ id: number }[]>();

    expect(outputs).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('refuses a task that is not bound, and positions past the tuple', async () => {
    // Never called: these lines are here for the compiler, which must reject each one.
    const misuses = async (scope: TaskScope) => {
      // @ts-expect-error all() takes bound tasks: getUser.bind(id), not getUser
      await scope.all([getUser]);
      // @ts-expect-error the tuple has two positions
      const [, , third] = await scope.all([getUser.bind(1), nameLength.bind('ada')]);
      return third;
    };

    await expect(new TaskScope().all([getUser.bind(1), nameLength.bind('ada')])).resolves.toHaveLength(2);
    expect(misuses).toBeInstanceOf(Function);
  });
});

describe('the types of @Task() methods', () => {
  @injectable()
  class Users {
    @Task() async find(id: string, withPosts = false): Promise<{ id: string; posts: string[] }> {
      return { id, posts: withPosts ? ['hello'] : [] };
    }
  }

  it("keeps the method's declared signature", async () => {
    const users = new Users();

    const find = typeOf(users.find).is<(id: string, withPosts?: boolean) => Promise<{ id: string; posts: string[] }>>();

    await expect(find.call(users, '1', true)).resolves.toEqual({ id: '1', posts: ['hello'] });
  });

  it('refuses arguments the method does not take', async () => {
    // Never called: these lines are here for the compiler, which must reject each one.
    const misuses = async (users: Users) => {
      // @ts-expect-error find takes a string id
      await users.find(1);
      // @ts-expect-error and at most two arguments
      await users.find('1', true, 'more');
    };

    await expect(new Users().find('1')).resolves.toEqual({ id: '1', posts: [] });
    expect(misuses).toBeInstanceOf(Function);
  });
});

describe('the type equality the pins rely on', () => {
  it('tells apart types that are only assignable to each other', () => {
    // @ts-expect-error a tuple is not an array
    typeOf<[number, string]>([1, 'a']).is<(number | string)[]>();
    // @ts-expect-error nor is an optional member a required one
    typeOf<{ id?: number }>({}).is<{ id: number | undefined }>();
    // @ts-expect-error nor is any any other type
    typeOf<unknown>(1 as unknown).is<any>();

    expect(typeOf(1).is<number>()).toBe(1);
  });
});
