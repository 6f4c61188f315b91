import { OrdoError } from '../errors/index.js';

/** A length of time: a number of milliseconds, or a string such as `'1h30m'`, `'250ms'`, `'1.5h'`, `'2d'`. */
export type Duration = number | string;

/** Thrown by {@link parseDuration} for input that is not a valid duration; the message quotes the input. */
export class InvalidDurationError extends OrdoError {
  declare readonly code: 'ORDO_INVALID_DURATION';

  /** The value that was rejected, as given. */
  readonly input: unknown;

  /** @param input the rejected value; @param reason what is wrong with it, in words. */
  constructor(input: unknown, reason: string) {
    super('ORDO_INVALID_DURATION', `Invalid duration ${quote(input)}: ${reason}`);
    this.input = input;
  }
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const UNITS_LISTED = 'ms, s, m, h, d (and us, µs, ns)';
const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(ns|us|µs|ms|s|m|h|d)(?![a-zµ])/gy;
/** A number followed by something that is not a known unit, to name that unit in the error. */
const UNKNOWN_UNIT = /(?:\d+(?:\.\d+)?|\.\d+)\s*([^\d\s.]+)/y;

/**
 * Converts a {@link Duration} to whole milliseconds.
 *
 * Strings are one or more `<number><unit>` parts, optionally separated by spaces (`'1h 30m'`); the parts add up
 * in any order and a unit may repeat (`'30m 1h'` is 90 minutes, as Go's `time.ParseDuration` reads it). Sub-millisecond
 * units (`us`, `µs`, `ns`) are accepted and the total is rounded to the nearest millisecond, because every
 * clock in Ordo counts whole milliseconds. Numbers are milliseconds and must be finite, non-negative and at most
 * `Number.MAX_SAFE_INTEGER`; fractional numbers are rounded.
 *
 * @throws InvalidDurationError naming the input and what is wrong with it.
 * @example
 * parseDuration('1h30m'); // 5_400_000
 * parseDuration(250);     // 250
 */
export function parseDuration(input: Duration): number {
  if (typeof input === 'number') return checkedMilliseconds(input, input);
  if (typeof input !== 'string') {
    throw new InvalidDurationError(
      input,
      `expected a number of milliseconds or a string such as '1h30m', got ${typeof input}`,
    );
  }
  const text = input.trim();
  if (text === '') throw new InvalidDurationError(input, `it is empty; write a number with a unit such as '5m'`);
  if (text.startsWith('-')) throw new InvalidDurationError(input, 'durations cannot be negative');
  if (/^\d+(\.\d+)?$/.test(text)) {
    throw new InvalidDurationError(
      input,
      `a number in a string needs a unit (${UNITS_LISTED}); pass a number for milliseconds`,
    );
  }
  let total = 0;
  let at = 0;
  PART.lastIndex = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const match = PART.exec(text);
    if (!match) throw new InvalidDurationError(input, unreadable(text, at));
    total += Number(match[1]) * UNIT_MS[match[2]]!;
    at = PART.lastIndex;
    while (text[at] === ' ') at++;
  }
  return checkedMilliseconds(total, input);
}

/**
 * Formats milliseconds as the shortest duration string that {@link parseDuration} reads back to the same value,
 * e.g. `5_400_000` → `'1h30m'`, `0` → `'0ms'`.
 */
export function formatDuration(ms: number): string {
  const value = checkedMilliseconds(ms, ms);
  if (value === 0) return '0ms';
  let rest = value;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit]!;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

/** Why the text cannot be read from `at`: an unknown unit, named, or something else, quoted. */
function unreadable(text: string, at: number): string {
  UNKNOWN_UNIT.lastIndex = at;
  const unit = UNKNOWN_UNIT.exec(text)?.[1];
  if (unit !== undefined) return `unknown unit ${quote(unit)}; units are ${UNITS_LISTED}, in lower case`;
  return `cannot read ${quote(text.slice(at))}; units are ${UNITS_LISTED}`;
}

function checkedMilliseconds(value: number, input: unknown): number {
  if (Number.isNaN(value)) throw new InvalidDurationError(input, 'it is NaN');
  if (!Number.isFinite(value)) throw new InvalidDurationError(input, 'it is not finite');
  if (value < 0) throw new InvalidDurationError(input, 'durations cannot be negative');
  const rounded = Math.round(value);
  if (rounded > Number.MAX_SAFE_INTEGER) {
    throw new InvalidDurationError(input, `it exceeds the largest supported duration (${Number.MAX_SAFE_INTEGER} ms)`);
  }
  return rounded + 0; // -0 becomes 0
}

function quote(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input);
  if (typeof input === 'number') return String(input);
  try {
    return JSON.stringify(input) ?? String(input);
  } catch {
    return String(input);
  }
}
