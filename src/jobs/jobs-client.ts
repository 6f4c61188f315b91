import { checkListQuery } from './enqueue-checks.js';
import type { EnqueueOptions, JobCounts, JobId, JobInfo, JobListQuery, JobPage } from './job-types.js';
import type { JobsBackend } from './jobs-backend.js';
import { Jobs } from './jobs.js';

/** What {@link JobsClient} needs from the runtime that owns the store. */
export interface JobsAccess {
  enqueue(name: string, payload: unknown, options: EnqueueOptions | undefined): Promise<JobId>;
  /**
   * Runs `verb` on the open store, opening it on first use; resolves `none` when the app has no store (it declares
   * no `@Job`). Rejects with `ORDO_JOBS_CLOSED` once the app closed.
   */
  withStore<T>(verb: string, use: (backend: JobsBackend) => Promise<T>, none: T): Promise<T>;
}

const NO_COUNTS: JobCounts = { pending: 0, delayed: 0, running: 0, completed: 0, dead: 0 };

/** `Jobs` as the app binds it: the public verbs, each checked here and handed to the store. */
export class JobsClient extends Jobs {
  readonly #access: JobsAccess;

  constructor(access: JobsAccess) {
    super();
    this.#access = access;
  }

  enqueue(name: string, payload: unknown, options?: EnqueueOptions): Promise<JobId> {
    return this.#access.enqueue(name, payload, options);
  }

  get(id: JobId): Promise<JobInfo | undefined> {
    return this.#access.withStore('get', (backend) => backend.get(String(id)), undefined);
  }

  list(query?: JobListQuery): Promise<JobPage> {
    let checked: ReturnType<typeof checkListQuery>;
    try {
      checked = checkListQuery(query);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#access.withStore('list', (backend) => backend.list(checked), { jobs: [] });
  }

  retry(id: JobId): Promise<boolean> {
    return this.#access.withStore('retry', (backend) => backend.retry(String(id)), false);
  }

  cancel(id: JobId): Promise<boolean> {
    return this.#access.withStore('cancel', (backend) => backend.cancel(String(id)), false);
  }

  counts(): Promise<JobCounts> {
    return this.#access.withStore('counts', (backend) => backend.counts(), NO_COUNTS);
  }
}
