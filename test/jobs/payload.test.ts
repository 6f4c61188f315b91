import { JobError } from '../../src/index.js';
import { encodePayload } from '../../src/jobs/payload.js';

function refusal(payload: unknown, maxBytes = 1_000_000): JobError {
  try {
    encodePayload('send-email', payload, maxBytes);
  } catch (error) {
    return error as JobError;
  }
  throw new Error('expected the payload to be refused');
}

describe('a job payload', () => {
  it('is stored as its JSON text when it is JSON', () => {
    const payload = { to: 'a@example.com', tags: ['x', 1, true, null], nested: { deep: [{ n: -2.5 }] } };

    expect(encodePayload('send-email', payload, 10_000)).toBe(JSON.stringify(payload));
  });

  it('leaves out a property whose value is undefined, as JSON does', () => {
    expect(encodePayload('send-email', { to: 'a', cc: undefined }, 100)).toBe('{"to":"a"}');
  });

  it('accepts an object without a prototype, and a shared reference that is not a cycle', () => {
    const shared = { n: 1 };
    const bare = Object.assign(Object.create(null) as object, { a: shared, b: shared });

    expect(encodePayload('send-email', bare, 100)).toBe('{"a":{"n":1},"b":{"n":1}}');
  });

  it.each([
    ['a function', { user: { notify: () => {} } }, 'payload.user.notify is a function'],
    ['a symbol', { kind: Symbol('x') }, 'payload.kind is a symbol'],
    ['a BigInt', { total: 10n }, 'payload.total is a BigInt'],
    ['NaN', { ratio: Number.NaN }, 'payload.ratio is NaN'],
    ['Infinity', [1, Infinity], 'payload[1] is Infinity'],
    ['undefined at the top level', undefined, 'payload is undefined'],
    ['undefined in an array', { list: [1, undefined] }, 'payload.list[1] is undefined'],
    // eslint-disable-next-line no-sparse-arrays -- the hole is what is under test
    ['a hole in an array', { list: [1, , 3] }, 'payload.list[1] is a hole'],
    ['a Date', { at: new Date(0) }, 'payload.at is a Date'],
    ['a Map', { seen: new Map() }, 'payload.seen is a Map'],
    ['a Set', new Set([1]), 'payload is a Set'],
    ['a class instance', { user: new (class User {})() }, 'payload.user is a User'],
    ['a symbol key', { [Symbol('k')]: 1 }, 'payload has a symbol key'],
  ])('refuses %s, naming the path at fault', (_what, payload, fragment) => {
    const error = refusal(payload);

    expect(error).toBeInstanceOf(JobError);
    expect(error.code).toBe('ORDO_JOB_PAYLOAD');
    expect(error.job).toBe('send-email');
    expect(error.message).toContain('Jobs.enqueue("send-email")');
    expect(error.message).toContain(fragment);
  });

  it('names a path through keys that are not identifiers and array positions', () => {
    expect(refusal({ user: { 'first name': [0, 0, () => 1] } }).message).toContain(
      'payload.user["first name"][2] is a function',
    );
  });

  it('refuses a cycle, naming where it closes', () => {
    const user: Record<string, unknown> = { name: 'a' };
    user.self = { back: user };

    expect(refusal({ user }).message).toContain('payload.user.self.back refers back to an object it is inside of');
  });

  it('suggests how to pass a Date', () => {
    expect(refusal({ at: new Date(0) }).message).toContain('date.toISOString()');
  });

  it('refuses a payload whose JSON text is over the limit in UTF-8 bytes, stating both sizes', () => {
    const error = refusal({ text: 'é'.repeat(10) }, 20);

    expect(error.code).toBe('ORDO_JOB_PAYLOAD_TOO_LARGE');
    expect(error.message).toContain('the payload is 31 bytes of JSON, over the limit of 20');
  });

  it('accepts a payload exactly at the limit', () => {
    expect(encodePayload('send-email', 'abc', 5)).toBe('"abc"');
  });
});
