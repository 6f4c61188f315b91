import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { OrdoError } from '../../../errors/index.js';
import {
  JOB_STATES,
  type JobAttempt,
  type JobCounts,
  type JobInfo,
  type JobPage,
  type JobState,
} from '../../job-types.js';
import type { NewJob } from '../../jobs-backend.js';
import { claimOn, type ClaimRequest, type ClaimResult } from './claim.js';
import { cursorAfter, jobInfoOf, rowIdAfter, rowIdOf, type JobRow } from './job-rows.js';
import { Statements } from './statements.js';

/** A claim's token and what it took. */
export interface Claim extends ClaimResult {
  readonly token: string;
}

/**
 * The engine's reads and writes on one connection, each a single statement or one short transaction, all
 * synchronous (better-sqlite3), with `now` always given by the caller from the Clock, never SQLite's own time.
 */
export class JobStore {
  readonly #sql: Statements;
  readonly #enqueue: (job: NewJob, now: number) => string;
  readonly #claim: (request: ClaimRequest) => ClaimResult;
  readonly #enqueueTick: (
    job: NewJob,
    schedule: string,
    slot: number,
    now: number,
    keepSlots: number,
  ) => string | undefined;

  constructor(db: Database) {
    this.#sql = new Statements(db);
    const enqueue = db.transaction((job: NewJob, now: number) => this.#insert(job, now));
    this.#enqueue = (job, now) => enqueue.immediate(job, now);
    this.#claim = claimOn(db, this.#sql);
    const enqueueTick = db.transaction(
      (job: NewJob, schedule: string, slot: number, now: number, keepSlots: number): string | undefined => {
        if (this.#sql.takeSlot.run({ schedule, slot }).changes === 0) return undefined;
        const jobId = this.#insert(job, now);
        this.#sql.slotJob.run({ schedule, slot, jobId: Number(jobId) });
        this.#sql.forgetSlots.run({ schedule, before: slot - keepSlots });
        return jobId;
      },
    );
    this.#enqueueTick = (job, schedule, slot, now, keepSlots) =>
      enqueueTick.immediate(job, schedule, slot, now, keepSlots);
  }

  /** Adds a job, or returns the id of the live job of the same name and key: one IMMEDIATE transaction. */
  enqueue(job: NewJob, now: number): string {
    return this.#enqueue(job, now);
  }

  #insert(job: NewJob, now: number): string {
    const inserted = this.#sql.insert.get({
      name: job.name,
      payload: job.payload,
      key: job.key ?? null,
      state: job.runAt > now ? 'delayed' : 'pending',
      maxAttempts: job.maxAttempts,
      enqueuedAt: job.enqueuedAt,
      runAt: job.runAt,
    }) as { id: number } | undefined;
    if (inserted !== undefined) return String(inserted.id);
    const live = this.#sql.liveByKey.get({ name: job.name, key: job.key ?? null }) as { id: number } | undefined;
    if (live === undefined) {
      throw new OrdoError('ORDO_INVALID_STATE', `job ${job.name} (key ${job.key}): neither added nor found by its key`);
    }
    return String(live.id);
  }

  /**
   * Adds the tick of a cluster schedule at `slot` unless a tick was added for that slot already, by any process: the
   * slot's row and the job in one IMMEDIATE transaction, so two processes reaching the slot add one job between them.
   * Forgets the schedule's slots older than `slot - keepSlots`. The job's id, or undefined when the slot was taken.
   */
  enqueueTick(job: NewJob, schedule: string, slot: number, now: number, keepSlots: number): string | undefined {
    return this.#enqueueTick(job, schedule, slot, now, keepSlots);
  }

  get(id: string, now: number): JobInfo | undefined {
    const rowId = rowIdOf(id);
    const row = rowId === undefined ? undefined : (this.#sql.byId.get(rowId) as JobRow | undefined);
    return row === undefined ? undefined : jobInfoOf(row, now);
  }

  list(query: { limit: number; state?: JobState; name?: string; cursor?: string }, now: number): JobPage {
    const rows = this.#sql.list.all({
      after: rowIdAfter(query.cursor),
      name: query.name ?? null,
      state: query.state ?? null,
      now,
      limit: query.limit + 1,
    }) as JobRow[];
    const page = rows.slice(0, query.limit);
    const jobs = page.map((row) => jobInfoOf(row, now));
    return rows.length > query.limit ? { jobs, cursor: cursorAfter(page[page.length - 1]!.id) } : { jobs };
  }

  counts(now: number): JobCounts {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    for (const row of this.#sql.counts.all({ now }) as Array<{ state: JobState; count: number }>) {
      counts[row.state] = row.count;
    }
    return counts;
  }

  /**
   * A dead job back to pending with its attempts reset: its name, or undefined when no such dead job exists, or when
   * a live job of the same name already holds its key (two live jobs never share one).
   */
  retry(id: string, now: number): string | undefined {
    const rowId = rowIdOf(id);
    if (rowId === undefined) return undefined;
    try {
      const row = this.#sql.retry.get({ id: rowId, now }) as { name: string } | undefined;
      return row?.name;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
      throw error;
    }
  }

  cancel(id: string, now: number): boolean {
    const rowId = rowIdOf(id);
    return rowId !== undefined && this.#sql.cancel.run({ id: rowId, now }).changes === 1;
  }

  /** Claims up to `limit` due jobs of `name` under a new token, after returning lapsed leases to the queue. */
  claim(name: string, limit: number, now: number, leaseUntil: number): Claim {
    const token = randomUUID();
    return { token, ...this.#claim({ name, limit, now, leaseUntil, token }) };
  }

  /** Extends a claim's lease; false when the claim is no longer this token's (fenced). */
  renew(id: number, token: string, leaseUntil: number): boolean {
    return this.#sql.renew.run({ id, token, leaseUntil }).changes === 1;
  }

  /** Completes a claimed job; false when the claim is no longer this token's (fenced). */
  complete(id: number, token: string, now: number, attempt: JobAttempt): boolean {
    return this.#sql.complete.run({ id, token, now, entry: JSON.stringify(attempt) }).changes === 1;
  }

  /**
   * Records a failed attempt: the job is delayed until `retryAt`, or dead when `retryAt` is undefined; false when
   * the claim is no longer this token's (fenced).
   */
  fail(id: number, token: string, attempt: JobAttempt & { error: string }, retryAt: number | undefined): boolean {
    const dead = retryAt === undefined;
    return (
      this.#sql.fail.run({
        id,
        token,
        state: dead ? 'dead' : 'delayed',
        runAt: retryAt ?? null,
        finishedAt: dead ? attempt.finishedAt : null,
        error: attempt.error,
        entry: JSON.stringify(attempt),
      }).changes === 1
    );
  }

  /** Returns claimed jobs to pending, unattempted, in one UPDATE; how many were still under those claims. */
  giveBack(claims: ReadonlyArray<{ id: number; token: string }>): number {
    if (claims.length === 0) return 0;
    return this.#sql.giveBack.run({ claims: JSON.stringify(claims.map(({ id, token }) => [id, token])) }).changes;
  }

  /** When the earliest pending or delayed job of `name` is due, or undefined when there is none. */
  nextDue(name: string): number | undefined {
    return (this.#sql.nextDue.get({ name }) as { next: number | null }).next ?? undefined;
  }

  /** Removes the jobs that completed at `before` or earlier; how many. */
  sweep(before: number): number {
    return this.#sql.sweep.run({ before }).changes;
  }
}
