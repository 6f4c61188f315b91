import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { task, TaskKeyError, TaskScope } from '../../src/tasks/index.js';
import { outcome } from '../support/task-helpers.js';

/** A task that records the inputs it actually ran with. */
function recorder<I>() {
  const ran: I[] = [];
  const echo = task(async function echo(_scope, input: I) {
    ran.push(input);
    return ran.length;
  });
  return { echo, ran };
}

describe('task input keys', () => {
  it('keeps primitives of different types apart: 1, "1", 1n, true, "true", null, undefined', async () => {
    const { echo, ran } = recorder<unknown>();
    const scope = new TaskScope();
    const inputs = [1, '1', 1n, true, 'true', null, undefined, 'undefined', 'null'];

    for (const input of inputs) await echo.run(scope, input);
    for (const input of inputs) await echo.run(scope, input);

    expect(ran).toEqual(inputs);
  });

  it('treats NaN as one input', async () => {
    const { echo, ran } = recorder<number>();
    const scope = new TaskScope();

    await echo.run(scope, NaN);
    await echo.run(scope, NaN);

    expect(ran).toHaveLength(1);
  });

  it('keys objects by contents whatever their property order, nested', async () => {
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, { id: 1, filter: { tag: 'a', since: 2020 } });
    await echo.run(scope, { filter: { since: 2020, tag: 'a' }, id: 1 });

    expect(ran).toHaveLength(1);
  });

  it('keeps arrays in order', async () => {
    const { echo, ran } = recorder<number[]>();
    const scope = new TaskScope();

    await echo.run(scope, [1, 2]);
    await echo.run(scope, [2, 1]);

    expect(ran).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('never confuses an object input with a string that looks like its key', async () => {
    const { echo, ran } = recorder<unknown>();
    const scope = new TaskScope();

    await echo.run(scope, { a: 1 });
    await echo.run(scope, '{"a":1}');

    expect(ran).toEqual([{ a: 1 }, '{"a":1}']);
  });

  it('keeps a nested number and the same digits as a string apart', async () => {
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, { id: 1 });
    await echo.run(scope, { id: '1' });

    expect(ran).toEqual([{ id: 1 }, { id: '1' }]);
  });

  it('keys Dates by their time', async () => {
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, { at: new Date(1000) });
    await echo.run(scope, { at: new Date(1000) });
    await echo.run(scope, { at: new Date(2000) });

    expect(ran).toHaveLength(2);
  });

  it('leaves out properties whose value is undefined, as JSON does', async () => {
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, { id: 1, q: undefined });
    await echo.run(scope, { id: 1 });

    expect(ran).toHaveLength(1);
  });

  it('keys Maps and Sets by contents, not insertion order', async () => {
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, {
      m: new Map([
        ['a', 1],
        ['b', 2],
      ]),
      s: new Set([1, 2]),
    });
    await echo.run(scope, {
      m: new Map([
        ['b', 2],
        ['a', 1],
      ]),
      s: new Set([2, 1]),
    });

    expect(ran).toHaveLength(1);
  });

  it('keys class instances by class and own properties, so equal-looking classes stay apart', async () => {
    class UserRef {
      constructor(readonly id: string) {}
    }
    class PostRef {
      constructor(readonly id: string) {}
    }
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, new UserRef('1'));
    await echo.run(scope, new UserRef('1'));
    await echo.run(scope, new PostRef('1'));

    expect(ran).toHaveLength(2);
  });

  it('keeps instances of two classes that share a name and fields apart', async () => {
    const UserRef = (() =>
      class Ref {
        constructor(readonly id: string) {}
      })();
    const PostRef = (() =>
      class Ref {
        constructor(readonly id: string) {}
      })();
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, new UserRef('1'));
    await echo.run(scope, new PostRef('1'));
    await echo.run(scope, new UserRef('1'));

    expect(UserRef.name).toBe(PostRef.name);
    expect(ran).toHaveLength(2);
  });

  it('keeps instances of two same-named classes with toJSON apart', async () => {
    const make = () =>
      class Money {
        constructor(readonly cents: number) {}
        toJSON() {
          return this.cents;
        }
      };
    const [Euros, Dollars] = [make(), make()];
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, new Euros(100));
    await echo.run(scope, new Dollars(100));
    await echo.run(scope, new Dollars(100));

    expect(ran).toHaveLength(2);
  });

  it('keys symbol-keyed properties by symbol and value: different values, different runs', async () => {
    const tag = Symbol('tag');
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, { id: 1, [tag]: 'a' });
    await echo.run(scope, { id: 1, [tag]: 'b' });
    await echo.run(scope, { id: 1, [tag]: 'a' });
    await echo.run(scope, { id: 1 });

    expect(ran).toHaveLength(3);
  });

  it('keeps two unregistered symbols with one description apart, and shares a registered one', async () => {
    const [first, second] = [Symbol('tag'), Symbol('tag')];
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, { [first]: 1 });
    await echo.run(scope, { [second]: 1 });
    await echo.run(scope, { [Symbol.for('ordo.test.tag')]: 1 });
    await echo.run(scope, { [Symbol.for('ordo.test.tag')]: 1 });

    expect(ran).toHaveLength(3);
  });

  it('keys symbol-keyed properties whatever their order, and leaves out non-enumerable ones', async () => {
    const [a, b] = [Symbol('a'), Symbol('b')];
    const hidden = Object.defineProperty({ id: 1, [a]: 1, [b]: 2 }, Symbol('hidden'), {
      value: 'x',
      enumerable: false,
    });
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, { id: 1, [a]: 1, [b]: 2 });
    await echo.run(scope, { [b]: 2, [a]: 1, id: 1 });
    await echo.run(scope, hidden);

    expect(ran).toHaveLength(1);
  });

  it('keys a class instance whose only enumerable property is symbol-keyed', async () => {
    const id = Symbol('id');
    class Handle {
      [id]: number;
      constructor(value: number) {
        this[id] = value;
      }
    }
    const { echo, ran } = recorder<object>();
    const scope = new TaskScope();

    await echo.run(scope, new Handle(1));
    await echo.run(scope, new Handle(2));
    await echo.run(scope, new Handle(1));

    expect(ran).toHaveLength(2);
  });

  it('names a symbol-keyed property in the path of an unkeyable input', async () => {
    const tag = Symbol('tag');
    const getUser = task(async function getUser(_scope, _input: object) {
      return 'never';
    });

    const result = await outcome(getUser.run(new TaskScope(), { [tag]: { test: () => true } }));

    expect(((result as PromiseRejectedResult).reason as TaskKeyError).message).toContain(
      'it contains a function at input[Symbol(tag)].test',
    );
  });

  it('uses the key function instead of the structure when one is given', async () => {
    const ran: string[] = [];
    const load = task(
      async (_scope, user: { id: string; name: string }) => {
        ran.push(user.name);
        return user.name;
      },
      { key: (user) => user.id },
    );
    const scope = new TaskScope();

    const first = await load.run(scope, { id: '7', name: 'first' });
    const second = await load.run(scope, { id: '7', name: 'renamed' });

    expect([first, second]).toEqual(['first', 'first']);
    expect(ran).toEqual(['first']);
  });

  it('keys a function input with a key function', async () => {
    const apply = task(async (_scope, fn: () => number) => fn(), { key: (fn) => fn.name });
    function seven() {
      return 7;
    }

    await expect(apply.run(new TaskScope(), seven)).resolves.toBe(7);
  });

  it.each([
    ['a function', () => 1, 'the input is a function'],
    ['a symbol', Symbol('s'), 'the input is a symbol'],
    ['a function nested in an object', { filter: { test: () => true } }, 'a function at input.filter.test'],
    [
      'a cyclic object',
      (() => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      })(),
      'cyclic',
    ],
    [
      'a class instance with nothing to key by',
      new (class Opaque {
        // eslint-disable-next-line no-unused-private-class-members -- private state, invisible to keying, is the case
        #id = 1;
      })(),
      'Opaque with no enumerable',
    ],
  ])(
    'rejects %s as input with TaskKeyError naming the task and asking for a key function',
    async (_what, input, problem) => {
      const getUser = task(async function getUser(_scope, _input: unknown) {
        return 'never';
      });

      const result = await outcome(getUser.run(new TaskScope(), input));

      const error = (result as PromiseRejectedResult).reason as TaskKeyError;
      expect(error).toBeInstanceOf(TaskKeyError);
      expect(error.code).toBe('ORDO_TASK_KEY');
      expect(error.message).toContain('"getUser"');
      expect(error.message).toContain(problem);
      expect(error.message).toContain('key function');
    },
  );

  it('rejects with TaskKeyError, the thrown error as cause, when the key function throws', async () => {
    const boom = new Error('no id');
    const load = task(async (_scope, _input: object) => 'never', {
      name: 'load',
      key: () => {
        throw boom;
      },
    });

    const result = await outcome(load.run(new TaskScope(), {}));

    const error = (result as PromiseRejectedResult).reason as TaskKeyError;
    expect(error).toBeInstanceOf(TaskKeyError);
    expect(error.cause).toBe(boom);
  });

  it('gives any JSON value and its property-shuffled copy the same key (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.integer(), async (value, seed) => {
        const { echo, ran } = recorder<unknown>();
        const scope = new TaskScope();

        await echo.run(scope, value);
        await echo.run(scope, shuffled(value, seed));

        expect(ran).toHaveLength(1);
      }),
    );
  });

  it('gives two JSON object inputs the same key only if they are equal (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.dictionary(fc.string(), fc.jsonValue()),
        async (a, b) => {
          const { echo, ran } = recorder<unknown>();
          const scope = new TaskScope();

          await echo.run(scope, a);
          await echo.run(scope, b);

          expect(ran.length === 1).toBe(isDeepStrictEqual(normalize(a), normalize(b)));
        },
      ),
    );
  });
});

/** A deep copy with every object's properties in a different order, chosen by `seed`. */
function shuffled(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffled(item, seed));
  if (value === null || typeof value !== 'object') return value;
  const names = Object.keys(value);
  const rotated = names.map((_, i) => names[(i + Math.abs(seed)) % names.length]!).reverse();
  const copy: Record<string, unknown> = {};
  for (const name of rotated) {
    const item = shuffled((value as Record<string, unknown>)[name], seed);
    Object.defineProperty(copy, name, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** What the structural key sees: -0 is 0 (Map semantics), as the key does too. */
function normalize(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (Object.is(v, -0) ? 0 : v)));
}
