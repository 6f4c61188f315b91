import fc from 'fast-check';
import { formatDuration, InvalidDurationError, OrdoError, parseDuration } from '../../src/index.js';

describe('parseDuration', () => {
  it.each([
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['1h 30m', 5_400_000],
    [' 10s ', 10_000],
    ['.5s', 500],
    ['1m30s250ms', 90_250],
    ['1500us', 2],
    ['1200µs', 1],
    ['400000ns', 0],
    ['0ms', 0],
  ])('reads %p as %p milliseconds', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it('takes a number as milliseconds', () => {
    expect(parseDuration(1234)).toBe(1234);
  });

  it('adds up parts in any order, a unit repeating', () => {
    expect([parseDuration('30m 1h'), parseDuration('1h1h')]).toEqual([5_400_000, 7_200_000]);
  });

  it('reads -0 as 0', () => {
    expect(Object.is(parseDuration(-0), 0)).toBe(true);
  });

  it('rounds a fractional number of milliseconds', () => {
    expect(parseDuration(1.6)).toBe(2);
  });

  it.each([
    ['1hr', /"1hr".*unknown unit "hr"/],
    ['1H', /"1H".*unknown unit "H".*lower case/],
    ['', /"".*empty/],
    ['-5m', /"-5m".*negative/],
    ['5', /"5".*needs a unit/],
    ['5 m x', /"5 m x".*cannot read "x"/],
    ['h', /"h".*cannot read/],
    [Number.NaN, /NaN/],
    [Number.POSITIVE_INFINITY, /Infinity.*not finite/],
    [-1, /-1.*negative/],
    [Number.MAX_SAFE_INTEGER + 2, /exceeds the largest/],
    ['200000000000000d', /exceeds the largest/],
  ])('rejects %p with a message that quotes it and says why', (input, message) => {
    expect(() => parseDuration(input as string | number)).toThrow(message);
  });

  it('throws an InvalidDurationError with a stable code that keeps the input', () => {
    const error = catchError(() => parseDuration('1hr'));
    expect(error).toBeInstanceOf(InvalidDurationError);
    expect(error).toBeInstanceOf(OrdoError);
    expect(error).toMatchObject({ code: 'ORDO_INVALID_DURATION', input: '1hr', name: 'InvalidDurationError' });
  });

  it('rejects values that are neither numbers nor strings', () => {
    expect(() => parseDuration({} as unknown as string)).toThrow(/expected a number of milliseconds or a string/);
  });

  it('reads back whatever formatDuration writes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        (ms) => parseDuration(formatDuration(ms)) === ms,
      ),
    );
  });

  it('formats with the largest units first', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_061_001)).toBe('1d1h1m1s1ms');
    expect(formatDuration(0)).toBe('0ms');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
