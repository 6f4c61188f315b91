import { Logger } from '../../../src/index.js';
import type { ClaimedJob, JobQueueSpec } from '../../../src/jobs/internal.js';

/** One call of a contract handler, settled by the test. */
export interface HandlerRun {
  readonly job: ClaimedJob;
  readonly signal: AbortSignal;
  /** Ends the attempt with success. */
  resolve(): void;
  /** Ends the attempt with a failure of this message. */
  reject(message: string): void;
  /** Whether the run's promise has settled. */
  readonly settled: boolean;
}

/** Options of {@link Handler}. */
export interface HandlerOptions {
  /** Whether a run rejects as soon as its signal aborts (a well-behaved handler). @default true */
  honourAbort?: boolean;
  /** Settle every run at once: `'resolve'`, or a failure message. @default none: the test settles each run */
  auto?: 'resolve' | { reject: string };
}

/** A job handler whose runs the test settles one by one, recording every call in order. */
export class Handler {
  readonly runs: HandlerRun[] = [];
  readonly #options: HandlerOptions;

  constructor(options: HandlerOptions = {}) {
    this.#options = options;
  }

  /** The run function of a {@link JobQueueSpec}. */
  readonly run = (job: ClaimedJob, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      let settled = false;
      const run: HandlerRun = {
        job,
        signal,
        resolve: () => {
          settled = true;
          resolve();
        },
        reject: (message) => {
          settled = true;
          reject(new Error(message));
        },
        get settled() {
          return settled;
        },
      };
      this.runs.push(run);
      if (this.#options.honourAbort !== false) {
        signal.addEventListener('abort', () => run.reject('aborted'), { once: true });
      }
      const auto = this.#options.auto;
      if (auto === 'resolve') run.resolve();
      else if (auto !== undefined) run.reject(auto.reject);
    });

  /** The runs not settled yet. */
  get open(): HandlerRun[] {
    return this.runs.filter((run) => !run.settled);
  }

  /** The ids of the jobs run, in the order of their runs. */
  get ids(): string[] {
    return this.runs.map((run) => run.job.id);
  }
}

/** A queue's spec for the suite: concurrency 1, 3 attempts and the given backoff unless told otherwise. */
export function queueSpec(
  name: string,
  handler: Handler,
  options: Partial<Pick<JobQueueSpec, 'concurrency' | 'attempts' | 'backoff'>> = {},
): JobQueueSpec {
  return {
    name,
    concurrency: options.concurrency ?? 1,
    attempts: options.attempts ?? 3,
    backoff: options.backoff ?? (() => 1_000),
    run: handler.run,
  };
}

/** A logger that keeps every entry, for asserting that something was logged. */
export class RecordingLogger extends Logger {
  readonly entries: Array<{ level: string; fields: object; message?: string }> = [];
  debug(fields: object, message?: string): void {
    this.entries.push({ level: 'debug', fields, message });
  }
  info(fields: object, message?: string): void {
    this.entries.push({ level: 'info', fields, message });
  }
  warn(fields: object, message?: string): void {
    this.entries.push({ level: 'warn', fields, message });
  }
  error(fields: object, message?: string): void {
    this.entries.push({ level: 'error', fields, message });
  }

  /** Whether a warning or an error mentions `text` in its message or fields. */
  complainedAbout(text: string): boolean {
    return this.entries.some(
      (entry) =>
        (entry.level === 'warn' || entry.level === 'error') &&
        `${entry.message ?? ''} ${JSON.stringify(entry.fields)}`.includes(text),
    );
  }
}
