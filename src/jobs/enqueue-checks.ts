import { describeValue } from '../core/internal.js';
import { parseDuration, type Duration } from '../time/index.js';
import { JobError } from './job-errors.js';
import { JOB_STATES, type EnqueueOptions, type JobListQuery, type JobState } from './job-types.js';
import type { JobsBackend } from './jobs-backend.js';

/** How many jobs `Jobs.list` returns when the query does not say. */
export const DEFAULT_LIST_LIMIT = 100;
/** The most jobs one page of `Jobs.list` may hold. */
export const MAX_LIST_LIMIT = 1000;

const ENQUEUE_OPTIONS = ['delay', 'runAt', 'key'];
const QUERY_OPTIONS = ['state', 'name', 'limit', 'cursor'];

/** When an enqueued job is due and its key, from `Jobs.enqueue`'s options. */
export interface CheckedEnqueue {
  readonly runAt: number;
  readonly key: string | undefined;
}

/**
 * Checks `Jobs.enqueue`'s options: `delay` a duration or `runAt` a valid instant (not both; a `runAt` in the past
 * means now), `key` a non-empty string.
 *
 * @throws JobError `ORDO_JOB_OPTION` naming the job and the option.
 */
export function checkEnqueueOptions(job: string, options: EnqueueOptions | undefined, now: number): CheckedEnqueue {
  const at = `Jobs.enqueue("${job}")`;
  if (options === undefined) return { runAt: now, key: undefined };
  if (options === null || typeof options !== 'object') {
    throw optionError(job, `${at}: options must be an object, got ${describeValue(options)}`);
  }
  const given = options as Record<string, unknown>;
  const unknown = Object.keys(given).find((key) => !ENQUEUE_OPTIONS.includes(key) && given[key] !== undefined);
  if (unknown !== undefined) {
    throw optionError(job, `${at}: unknown option ${unknown}; the options are delay, runAt and key`);
  }
  const { delay, runAt, key } = given;
  if (delay !== undefined && runAt !== undefined) {
    throw optionError(job, `${at}: give delay or runAt, not both`);
  }
  let due = now;
  if (delay !== undefined) {
    try {
      due = now + parseDuration(delay as Duration);
    } catch (cause) {
      throw new JobError('ORDO_JOB_OPTION', job, `${at}: delay: ${(cause as Error).message}`, { cause });
    }
  } else if (runAt !== undefined) {
    const instant = runAt instanceof Date ? runAt.getTime() : runAt;
    if (typeof instant !== 'number' || !Number.isFinite(instant)) {
      throw optionError(
        job,
        `${at}: runAt must be a valid Date or epoch milliseconds, got ${runAt instanceof Date ? 'an invalid Date' : describeValue(runAt)}`,
      );
    }
    due = Math.max(now, instant);
  }
  if (key !== undefined && (typeof key !== 'string' || key === '')) {
    throw optionError(job, `${at}: key must be a non-empty string, got ${describeValue(key)}`);
  }
  return { runAt: due, key: key as string | undefined };
}

/**
 * Checks `Jobs.list`'s query and fills in its `limit`.
 *
 * @throws JobError `ORDO_JOB_OPTION` naming the option at fault.
 */
export function checkListQuery(query: JobListQuery | undefined): Parameters<JobsBackend['list']>[0] {
  if (query === undefined) return { limit: DEFAULT_LIST_LIMIT };
  if (query === null || typeof query !== 'object') {
    throw optionError(undefined, `Jobs.list(): the query must be an object, got ${describeValue(query)}`);
  }
  const given = query as Record<string, unknown>;
  const unknown = Object.keys(given).find((key) => !QUERY_OPTIONS.includes(key) && given[key] !== undefined);
  if (unknown !== undefined) {
    throw optionError(
      undefined,
      `Jobs.list(): unknown option ${unknown}; the options are state, name, limit and cursor`,
    );
  }
  const { state, name, limit, cursor } = given;
  if (state !== undefined && !JOB_STATES.includes(state as JobState)) {
    throw optionError(
      undefined,
      `Jobs.list(): state ${describeValue(state)} is not one of ${JOB_STATES.map((s) => `'${s}'`).join(', ')}`,
    );
  }
  if (name !== undefined && typeof name !== 'string') {
    throw optionError(undefined, `Jobs.list(): name must be a string, got ${describeValue(name)}`);
  }
  if (
    limit !== undefined &&
    !(typeof limit === 'number' && Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIST_LIMIT)
  ) {
    throw optionError(
      undefined,
      `Jobs.list(): limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, got ${describeValue(limit)}`,
    );
  }
  if (cursor !== undefined && typeof cursor !== 'string') {
    throw optionError(
      undefined,
      `Jobs.list(): cursor must be the string a previous page gave, got ${describeValue(cursor)}`,
    );
  }
  return {
    limit: (limit as number | undefined) ?? DEFAULT_LIST_LIMIT,
    ...(state === undefined ? {} : { state: state as JobState }),
    ...(name === undefined ? {} : { name: name as string }),
    ...(cursor === undefined ? {} : { cursor: cursor as string }),
  };
}

function optionError(job: string | undefined, message: string): JobError {
  return new JobError('ORDO_JOB_OPTION', job, message);
}
