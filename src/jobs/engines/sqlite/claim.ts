import type { Database } from 'better-sqlite3';
import type { ClaimedRow, Statements } from './statements.js';

/** What one claim took, and the jobs of lapsed leases it returned to the queue first. */
export interface ClaimResult {
  readonly claimed: readonly ClaimedRow[];
  readonly reaped: ReadonlyArray<{ id: number; name: string }>;
}

/** What a claim asks for. */
export interface ClaimRequest {
  readonly name: string;
  readonly limit: number;
  readonly now: number;
  readonly leaseUntil: number;
  readonly token: string;
}

/**
 * Makes the claim of a connection: up to `limit` due jobs of `name` in one `BEGIN IMMEDIATE` transaction (a
 * deferred one would fail with SQLITE_BUSY on its first write instead of waiting `busy_timeout`). First the jobs
 * whose lease lapsed (their worker died) go back to pending, unattempted; then one UPDATE takes the oldest due jobs
 * under `token`. Synchronous: no transaction spans an await.
 */
export function claimOn(db: Database, statements: Statements): (request: ClaimRequest) => ClaimResult {
  const claim = db.transaction((request: ClaimRequest): ClaimResult => {
    const reaped = statements.reapLapsedLeases.all({ now: request.now }) as Array<{ id: number; name: string }>;
    const claimed = statements.claim.all(request) as ClaimedRow[];
    claimed.sort((a, b) => a.run_at - b.run_at || a.id - b.id);
    return { claimed, reaped };
  });
  return (request) => claim.immediate(request);
}
