import type { JobType } from 'bullmq';
import type { JobAttempt, JobInfo, JobState } from '../../job-types.js';
import type { NewJob } from '../../jobs-backend.js';
import { jobIdOf, jobNameOf } from './job-ids.js';

/**
 * What Ordo keeps in a BullMQ job's `data`: the payload as its JSON text, and the instants on the app's Clock (BullMQ
 * stamps its own fields from the system clock).
 */
export interface JobEnvelope {
  /** The payload's JSON text. */
  readonly p: string;
  /** Enqueued at. */
  readonly e: number;
  /** Due at, as enqueued. */
  readonly r: number;
  /** The idempotency key. */
  readonly k?: string;
  /** This process's enqueue sequence: orders jobs enqueued in the same millisecond. */
  readonly s: number;
}

/** The envelope of a new job. */
export function envelopeOf(job: NewJob, sequence: number): JobEnvelope {
  return {
    p: job.payload,
    e: job.enqueuedAt,
    r: job.runAt,
    ...(job.key === undefined ? {} : { k: job.key }),
    s: sequence,
  };
}

/**
 * A failed attempt as the BullMQ engine records it: the first line of the error's `stack`, which BullMQ appends to
 * the job's `stacktrace` in the same script that checks the lock and moves the job (so a fenced failure records
 * nothing). The stack that follows it stays readable in BullMQ's own tools.
 */
interface AttemptLine {
  /** The attempt. */
  readonly a: number;
  /** Started at. */
  readonly s: number;
  /** Finished at. */
  readonly f: number;
  /** The error's message. */
  readonly m: string;
  /** When the next attempt is due, when there is one. */
  readonly n?: number;
}

const ATTEMPT_MARK = 'ordo-attempt ';

/** The `stack` that records a failed attempt, followed by the error's own stack. */
export function attemptStack(line: AttemptLine, stack: string | undefined): string {
  return `${ATTEMPT_MARK}${JSON.stringify(line)}\n${stack ?? ''}`;
}

function attemptLines(stacktrace: readonly string[] | null | undefined): AttemptLine[] {
  const lines: AttemptLine[] = [];
  for (const entry of stacktrace ?? []) {
    if (!entry.startsWith(ATTEMPT_MARK)) continue;
    const end = entry.indexOf('\n');
    try {
      lines.push(JSON.parse(entry.slice(ATTEMPT_MARK.length, end < 0 ? undefined : end)) as AttemptLine);
    } catch {
      // Not one of ours after all: a stack that happens to start with the mark.
    }
  }
  return lines;
}

/** The BullMQ states, as `Queue.getJobState` and `Queue.getJobs` name them, that make up each Ordo state. */
export const BULL_STATES: Readonly<Record<JobState, readonly JobType[]>> = {
  pending: ['waiting', 'prioritized', 'waiting-children'],
  delayed: ['delayed'],
  running: ['active'],
  completed: ['completed'],
  dead: ['failed'],
};

/** The Ordo state of a BullMQ state; `undefined` for `unknown` (the job is gone). */
export function stateOf(bullState: string): JobState | undefined {
  for (const [state, bull] of Object.entries(BULL_STATES) as Array<[JobState, readonly string[]]>) {
    if (bull.includes(bullState)) return state;
  }
  return undefined;
}

/** The fields of a BullMQ job that {@link infoOf} reads. */
export interface BullJobFields {
  readonly id?: string;
  readonly queueName: string;
  readonly data: JobEnvelope;
  readonly opts: { readonly attempts?: number };
  readonly attemptsMade: number;
  readonly processedOn?: number;
  readonly finishedOn?: number;
  readonly failedReason?: string;
  readonly stacktrace?: string[] | null;
}

/**
 * A BullMQ job as Ordo reports it. The history is every failed attempt recorded in the job's `stacktrace`, plus the
 * successful one of a completed job (from BullMQ's `processedOn` and `finishedOn`).
 */
export function infoOf(job: BullJobFields, state: JobState): JobInfo {
  const lines = attemptLines(job.stacktrace);
  const history: JobAttempt[] = lines.map((line) => ({
    attempt: line.a,
    startedAt: line.s,
    finishedAt: line.f,
    error: line.m,
  }));
  if (state === 'completed') {
    const finishedAt = job.finishedOn ?? 0;
    history.push({ attempt: job.attemptsMade, startedAt: job.processedOn ?? finishedAt, finishedAt });
  }
  const last = lines.at(-1);
  const retryAt = last?.n !== undefined && last.a === job.attemptsMade ? last.n : undefined;
  const finished = state === 'completed' || state === 'dead';
  // A job that died of its last attempt finished when that attempt did (BullMQ stamps its own finishedOn a moment
  // later); a cancelled one when it was cancelled.
  const finishedAt =
    state === 'dead' && last !== undefined && last.a === job.attemptsMade && last.m === job.failedReason
      ? last.f
      : job.finishedOn;
  return {
    id: jobIdOf(job.queueName, String(job.id)),
    name: jobNameOf(job.queueName),
    state,
    payload: JSON.parse(job.data.p) as unknown,
    ...(job.data.k === undefined ? {} : { key: job.data.k }),
    attempts: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    enqueuedAt: job.data.e,
    runAt: retryAt ?? job.data.r,
    ...(finished && finishedAt !== undefined ? { finishedAt } : {}),
    ...(job.failedReason ? { lastError: job.failedReason } : {}),
    history,
  };
}
