import { Cron as Croner } from 'croner';
import { ConfigurationError } from '../errors/index.js';

/** The next instants of a cron expression, computed by croner, which arms nothing. */
export interface CronEvaluator {
  /** The first instant strictly after `from` (whole seconds), or `undefined` if the expression has no more. */
  after(from: number): number | undefined;
  /** The last instant strictly before `from`, or `undefined` if there is none. */
  before(from: number): number | undefined;
}

/** How croner numbers each field it reports out of range, and the range users write. */
const FIELDS: Readonly<Record<string, { label: string; offset: number; range: string }>> = {
  second: { label: 'second', offset: 0, range: '0-59' },
  minute: { label: 'minute', offset: 0, range: '0-59' },
  hour: { label: 'hour', offset: 0, range: '0-23' },
  // croner counts days and months from 0 inside and reports them so: day 32 as "day: 31", month 0 as "month: -1".
  day: { label: 'day of month', offset: 1, range: '1-31' },
  month: { label: 'month', offset: 1, range: '1-12' },
  dayOfWeek: { label: 'day of week', offset: 0, range: '0-7 or SUN-SAT' },
};

/**
 * Compiles `expression` with croner as a pure evaluator: no callback (with one croner arms its own timer, even
 * paused), no `name` (a process-wide registry that throws on duplicates), a fresh options object (croner writes
 * into it).
 *
 * @param timeZone an IANA zone already checked by `checkTimeZone`, or `undefined` for the host's.
 * @param where what declared it, for the error: `@Cron("0 0 32 * *") on Reports.nightly`.
 * @throws ConfigurationError `ORDO_INVALID_CRON` with croner's error as the cause.
 */
export function compileCron(expression: string, timeZone: string | undefined, where: string): CronEvaluator {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new ConfigurationError(
      'ORDO_INVALID_CRON',
      `${where}: the cron expression must be a non-empty string such as '0 3 * * *', got ${JSON.stringify(expression) ?? String(expression)}`,
    );
  }
  let cron: Croner;
  try {
    cron = new Croner(expression, timeZone === undefined ? {} : { timezone: timeZone });
  } catch (cause) {
    throw new ConfigurationError(
      'ORDO_INVALID_CRON',
      `${where}: invalid cron expression ${JSON.stringify(expression)}: ${explain(cause)}`,
      { cause },
    );
  }
  return {
    after(from) {
      return cron.nextRun(new Date(from))?.getTime();
    },
    before(from) {
      return cron.previousRuns(1, new Date(from))[0]?.getTime();
    },
  };
}

/** croner's message, with the value it reports off by one put right. */
function explain(cause: unknown): string {
  const message = cause instanceof Error ? cause.message.replace(/^CronPattern:\s*/, '') : String(cause);
  const outOfRange = /^Invalid value for (\w+): (-?\d+)$/.exec(message);
  const field = outOfRange ? FIELDS[outOfRange[1]!] : undefined;
  if (!outOfRange || !field) return message;
  const value = Number(outOfRange[2]) + field.offset;
  return `${field.label} ${value} is out of range (${field.range})`;
}
