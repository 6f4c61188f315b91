import { jest } from '@jest/globals';
import { ConfigurationError } from '../../src/core/index.js';
import { task, TaskOptionError, TaskScope } from '../../src/tasks/index.js';
import { InvalidDurationError, VirtualClock } from '../../src/time/index.js';
import { outcome, thrown } from '../support/task-helpers.js';

describe('task options', () => {
  it("takes its name from the function's name", () => {
    const named = task(async function loadProfile(_scope, _id: string) {
      return 1;
    });

    expect(named.name).toBe('loadProfile');
  });

  it("names an unnamed function 'anonymous task'", () => {
    expect(task(async (_scope: TaskScope, _id: string) => 1).name).toBe('anonymous task');
  });

  it('prefers the name option', () => {
    expect(task(async (_scope, _id: string) => 1, { name: 'getUser' }).name).toBe('getUser');
  });

  it('parses a ttl given as a duration string', () => {
    expect(task(async (_scope, _id: string) => 1, { ttl: '1m30s' }).ttl).toBe(90_000);
  });

  it('refuses an invalid ttl with a TaskOptionError naming the task, the InvalidDurationError as cause', () => {
    const error = thrown(() => task(async (_scope, _id: string) => 1, { name: 'getUser', ttl: 'soon' }));

    expect(error).toBeInstanceOf(TaskOptionError);
    expect((error as TaskOptionError).code).toBe('ORDO_TASK_OPTION');
    expect((error as Error).message).toMatch(/^Invalid ttl for task "getUser": Invalid duration "soon"/);
    expect((error as Error).cause).toBeInstanceOf(InvalidDurationError);
  });

  it('reports its option errors as configuration errors', () => {
    expect(thrown(() => task(undefined as never))).toBeInstanceOf(ConfigurationError);
  });

  it('refuses a key option that is not a function', () => {
    const key = 'id' as unknown as (input: string) => string;

    expect(() => task(async (_scope, _id: string) => 1, { key })).toThrow(TaskOptionError);
  });

  it('refuses something that is not a function as the body', () => {
    expect(() => task(undefined as never)).toThrow(TaskOptionError);
  });
});

describe('TaskScope options', () => {
  it('reads the ttl as a duration string on the given clock', async () => {
    const clock = new VirtualClock();
    let runs = 0;
    const counted = task(async (_scope, _id: string) => ++runs);
    const scope = new TaskScope({ clock, ttl: '2s' });
    await counted.run(scope, '1');

    await clock.advance('2s');

    await expect(counted.run(scope, '1')).resolves.toBe(2);
  });

  it('refuses an invalid ttl with a TaskOptionError naming the TaskScope, the InvalidDurationError as cause', () => {
    const error = thrown(() => new TaskScope({ ttl: '5 minutes' }));

    expect(error).toBeInstanceOf(TaskOptionError);
    expect((error as Error).message).toMatch(/^Invalid ttl for a TaskScope: Invalid duration "5 minutes"/);
    expect((error as Error).cause).toBeInstanceOf(InvalidDurationError);
  });

  it('is cheap to create: no clock read and no listener on its signal until a task runs', () => {
    const clock = new VirtualClock();
    const signal = new AbortController().signal;
    const listen = jest.spyOn(signal, 'addEventListener');
    const read = jest.spyOn(clock, 'now');

    new TaskScope({ clock, signal, ttl: '1m', maxEntries: 10 });

    expect(listen).not.toHaveBeenCalled();
    expect(read).not.toHaveBeenCalled();
  });
});

describe('task.run arguments', () => {
  it('rejects with TaskOptionError naming the task when the first argument is not a TaskScope', async () => {
    const getUser = task(async (_scope, id: string) => id, { name: 'getUser' });

    await expect(getUser.run({} as TaskScope, '1')).rejects.toThrow(/"getUser" was run without a TaskScope/);
  });

  it.each([
    ['undefined', undefined, 'got undefined'],
    ['null', null, 'got null'],
  ])('rejects with TaskOptionError, not a synchronous TypeError, when the scope is %s', async (_what, scope, got) => {
    const getUser = task(async (_scope, id: number) => id, { name: 'getUser' });

    const result = outcome(getUser.run(scope as unknown as TaskScope, 1));

    const error = ((await result) as PromiseRejectedResult).reason as TaskOptionError;
    expect(error).toBeInstanceOf(TaskOptionError);
    expect(error.code).toBe('ORDO_TASK_OPTION');
    expect(error.message).toContain(`Task "getUser" was run without a TaskScope (${got})`);
  });

  it('rejects a bound task run without a scope with TaskOptionError too', async () => {
    const getUser = task(async (_scope, id: number) => id, { name: 'getUser' });

    await expect(getUser.bind(1).run(undefined as unknown as TaskScope)).rejects.toBeInstanceOf(TaskOptionError);
  });
});
