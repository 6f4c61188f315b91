import { ConfigurationError } from '../errors/index.js';
import { type Duration, parseDuration } from '../time/index.js';
import { compileCron, type CronEvaluator } from './cron-evaluator.js';
import type { ScheduleDeclaration } from './schedule-decorators.js';
import type { OverlapPolicy } from './schedule-options.js';
import { checkTimeZone } from './time-zone.js';

const OVERLAP_POLICIES: readonly OverlapPolicy[] = ['skip', 'queue', 'allow'];

/** A schedule whose declaration passed every check: what the scheduler runs. A class, so that a schedule costs no closure. */
export class CheckedSchedule {
  constructor(
    readonly name: string,
    readonly kind: 'every' | 'cron',
    /** The period in milliseconds, for `every`. */
    readonly period: number | undefined,
    /** The cron expression, for `cron`. */
    readonly expression: string | undefined,
    readonly timeZone: string | undefined,
    readonly overlap: OverlapPolicy,
    readonly timeoutMs: number | undefined,
    readonly jitterMs: number,
    readonly immediate: boolean,
    /** The evaluator of a `cron`. */
    readonly cron: CronEvaluator | undefined,
    /** Runs once per tick across the processes sharing the job engine. */
    readonly cluster: boolean = false,
  ) {}

  /**
   * The first slot strictly after `from`, or `undefined` if there is none; `every` slots are `origin` plus whole
   * periods.
   */
  slotAfter(from: number, origin: number): number | undefined {
    const period = this.period;
    if (period === undefined) return this.cron!.after(from);
    return origin + (Math.floor((from - origin) / period) + 1) * period;
  }

  /** The slot strictly before `slot`, or `undefined` if there is none; `every` slots are `origin` plus whole periods. */
  slotBefore(slot: number, origin: number): number | undefined {
    const period = this.period;
    if (period === undefined) return this.cron!.before(slot);
    return origin + (Math.ceil((slot - origin) / period) - 1) * period;
  }
}

/**
 * Checks a declaration as `Ordo.create()` and `app.schedules.add` do.
 *
 * @param where what declared it, for every message: `@Every("1h") on Reports.nightly`.
 * @throws ConfigurationError `ORDO_INVALID_SCHEDULE`, `ORDO_INVALID_CRON` or `ORDO_INVALID_TIME_ZONE`.
 */
export function checkSchedule(declaration: ScheduleDeclaration, name: string, where: string): CheckedSchedule {
  const options = declaration.options as Record<string, unknown>;
  const overlap = options.overlap ?? 'skip';
  if (!OVERLAP_POLICIES.includes(overlap as OverlapPolicy)) {
    throw invalid(
      where,
      `overlap ${JSON.stringify(overlap) ?? String(overlap)} is not one of 'skip', 'queue', 'allow'`,
    );
  }
  const timeoutMs = durationOf(options.timeout as Duration | undefined, 'timeout', where);
  if (timeoutMs === 0) throw invalid(where, 'timeout 0 is a deadline no run can meet; give at least 1 ms');
  const policy = overlap as OverlapPolicy;
  const cluster = options.cluster ?? false;
  if (typeof cluster !== 'boolean') throw invalid(where, `cluster must be true or false, got ${String(cluster)}`);
  if (declaration.kind === 'cron') {
    const timeZone = checkTimeZone(options.timeZone, where);
    const cron = compileCron(declaration.expression, timeZone, where);
    return new CheckedSchedule(
      name,
      'cron',
      undefined,
      declaration.expression,
      timeZone,
      policy,
      timeoutMs,
      0,
      false,
      cron,
      cluster,
    );
  }
  const period = periodOf(declaration.period, where);
  const jitterMs = durationOf(options.jitter as Duration | undefined, 'jitter', where) ?? 0;
  if (jitterMs >= period) {
    throw invalid(
      where,
      `jitter ${String(options.jitter)} is not shorter than the period ${String(declaration.period)}: runs would drift into the next slot`,
    );
  }
  if (options.immediate !== undefined && typeof options.immediate !== 'boolean') {
    throw invalid(where, `immediate must be true or false, got ${String(options.immediate)}`);
  }
  const immediate = options.immediate === true;
  if (cluster && (jitterMs > 0 || immediate)) {
    throw invalid(
      where,
      `${jitterMs > 0 ? 'jitter' : 'immediate'} does not go with cluster: a cluster schedule's ticks fall on the ` +
        'same slots in every process and run once across them',
    );
  }
  return new CheckedSchedule(
    name,
    'every',
    period,
    undefined,
    undefined,
    policy,
    timeoutMs,
    jitterMs,
    immediate,
    undefined,
    cluster,
  );
}

/** Checks a schedule's name: `ClassName.method` unless given. */
export function checkName(name: unknown, where: string): string {
  if (typeof name !== 'string' || name === '') {
    throw invalid(where, `name must be a non-empty string, got ${JSON.stringify(name) ?? String(name)}`);
  }
  return name;
}

function periodOf(period: Duration, where: string): number {
  if (typeof period === 'number' && period <= 0) {
    throw invalid(where, `the period ${period} is not positive: give a period of at least 1 ms, such as '5m'`);
  }
  const ms = durationOf(period, 'period', where);
  if (ms === undefined) throw invalid(where, "the period is missing: give one such as @Every('5m')");
  if (ms <= 0) throw invalid(where, `the period ${JSON.stringify(period)} is no time at all: give at least 1 ms`);
  return ms;
}

function durationOf(value: Duration | undefined, option: string, where: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDuration(value);
  } catch (cause) {
    throw invalid(where, `${option}: ${(cause as Error).message}`, cause);
  }
}

function invalid(where: string, what: string, cause?: unknown): ConfigurationError {
  return new ConfigurationError('ORDO_INVALID_SCHEDULE', `${where}: ${what}`, cause === undefined ? {} : { cause });
}
