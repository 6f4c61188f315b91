import fc from 'fast-check';
import { ConfigurationError } from '../../src/index.js';
import {
  backoffCeiling,
  backoffPolicy,
  DEFAULT_BACKOFF_BASE,
  DEFAULT_BACKOFF_MAX,
  exponentialBackoff,
} from '../../src/jobs/backoff.js';

const where = '@Job("send") on Mailer.send';
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const attempt = fc.integer({ min: 1, max: 200 });
const base = fc.integer({ min: 1, max: 60_000 });

describe('exponential backoff with equal jitter', () => {
  it('draws every wait from [d/2, d], where d = min(max, base × 2^(attempt − 1))', () => {
    fc.assert(
      fc.property(attempt, base, fc.integer({ min: 0, max: 7_200_000 }), unit, (n, b, extra, r) => {
        const max = b + extra;
        const ceiling = Math.min(max, b * 2 ** (n - 1));
        const wait = exponentialBackoff(n, b, max, () => r);

        expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
        expect(wait).toBeLessThanOrEqual(ceiling);
      }),
    );
  });

  it('never lowers its ceiling as attempts go on, and never passes max', () => {
    fc.assert(
      fc.property(attempt, base, fc.integer({ min: 0, max: 7_200_000 }), (n, b, extra) => {
        const max = b + extra;

        expect(backoffCeiling(n + 1, b, max)).toBeGreaterThanOrEqual(backoffCeiling(n, b, max));
        expect(backoffCeiling(n, b, max)).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('waits no less after a later attempt than after an earlier one for the same draw', () => {
    fc.assert(
      fc.property(attempt, base, unit, (n, b, r) => {
        expect(exponentialBackoff(n + 1, b, DEFAULT_BACKOFF_MAX, () => r)).toBeGreaterThanOrEqual(
          exponentialBackoff(n, b, DEFAULT_BACKOFF_MAX, () => r),
        );
      }),
    );
  });

  it('defaults to a base of 1 s and a max of 1 h', () => {
    const lowest = backoffPolicy(undefined, where, () => 0);
    const highest = backoffPolicy(undefined, where, () => 1 - Number.EPSILON);

    expect([lowest(1), lowest(2), lowest(3), lowest(40)]).toEqual([500, 1_000, 2_000, 1_800_000]);
    expect(highest(1)).toBe(DEFAULT_BACKOFF_BASE);
    expect(highest(40)).toBe(DEFAULT_BACKOFF_MAX);
  });

  it('takes base and max from the option, as durations', () => {
    const policy = backoffPolicy({ type: 'exponential', base: '10s', max: '1m' }, where, () => 0);

    expect([policy(1), policy(2), policy(3), policy(4)]).toEqual([5_000, 10_000, 20_000, 30_000]);
  });
});

describe('the other backoff options', () => {
  it('waits the same delay after every attempt with { type: fixed }', () => {
    const policy = backoffPolicy({ type: 'fixed', delay: '30s' }, where);

    expect([policy(1), policy(5)]).toEqual([30_000, 30_000]);
  });

  it('asks a backoff function for each attempt and reads its duration', () => {
    const policy = backoffPolicy((n) => `${n}m`, where);

    expect([policy(1), policy(3)]).toEqual([60_000, 180_000]);
  });

  it('falls back to the default and reports why when a backoff function returns no duration', () => {
    const reported: unknown[] = [];
    const policy = backoffPolicy(
      () => 'soon',
      where,
      () => 0,
      (error) => reported.push(error),
    );

    expect(policy(1)).toBe(500);
    expect(reported).toEqual([expect.objectContaining({ code: 'ORDO_INVALID_JOB' })]);
  });
});

describe('checking the backoff option', () => {
  it.each([
    [{ type: 'linear' }, 'backoff must be'],
    [{ type: 'fixed' }, 'backoff must be'],
    [{ type: 'exponential', base: 'fast' }, 'backoff.base'],
    [{ type: 'exponential', base: 0 }, 'backoff.base must be at least 1 ms'],
    [{ type: 'exponential', base: '1m', max: '1s' }, 'backoff.max'],
    [42, 'backoff must be'],
  ])('refuses %j, naming the job and the option', (option, fragment) => {
    const check = (): unknown => backoffPolicy(option as never, where);

    expect(check).toThrow(ConfigurationError);
    expect(check).toThrow(expect.objectContaining({ code: 'ORDO_INVALID_JOB' }));
    expect(check).toThrow(new RegExp(`^@Job\\("send"\\) on Mailer\\.send: .*${fragment.replace(/\./g, '\\.')}`));
  });
});
