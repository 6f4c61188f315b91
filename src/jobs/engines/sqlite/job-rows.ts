import type { JobAttempt, JobInfo, JobState } from '../../job-types.js';

/** A row of `ordo_jobs` as better-sqlite3 reads it. */
export interface JobRow {
  readonly id: number;
  readonly name: string;
  readonly payload: string;
  readonly key: string | null;
  readonly state: JobState;
  readonly attempts: number;
  readonly max_attempts: number;
  readonly enqueued_at: number;
  readonly run_at: number;
  readonly finished_at: number | null;
  readonly last_error: string | null;
  readonly history: string;
}

/**
 * The state a reader sees: a delayed job whose `runAt` has come is pending, though its row says delayed until a
 * worker claims it. The same rule in SQL is {@link EFFECTIVE_STATE}.
 */
export function effectiveState(row: Pick<JobRow, 'state' | 'run_at'>, now: number): JobState {
  return row.state === 'delayed' && row.run_at <= now ? 'pending' : row.state;
}

/** {@link effectiveState} as an SQL expression over a row, with the current time bound as `:now`. */
export const EFFECTIVE_STATE = `CASE WHEN state = 'delayed' AND run_at <= :now THEN 'pending' ELSE state END`;

/** The JobInfo of a row. */
export function jobInfoOf(row: JobRow, now: number): JobInfo {
  return {
    id: String(row.id),
    name: row.name,
    state: effectiveState(row, now),
    payload: JSON.parse(row.payload) as unknown,
    ...(row.key === null ? {} : { key: row.key }),
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    enqueuedAt: row.enqueued_at,
    runAt: row.run_at,
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    history: JSON.parse(row.history) as JobAttempt[],
  };
}

/** The row id of a JobId, or undefined when it cannot be one of this store's ids. */
export function rowIdOf(id: string): number | undefined {
  if (!/^[1-9][0-9]{0,15}$/.test(id)) return undefined;
  const rowId = Number(id);
  return Number.isSafeInteger(rowId) ? rowId : undefined;
}

/** The opaque cursor of a page that ended at `rowId`. */
export function cursorAfter(rowId: number): string {
  return Buffer.from(`after:${rowId}`).toString('base64url');
}

/** The row id a cursor continues after; 0 (from the start) for no cursor or one this store did not make. */
export function rowIdAfter(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^after:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match === null ? 0 : Number(match[1]);
}
