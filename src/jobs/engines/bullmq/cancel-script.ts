/**
 * Moves a waiting or delayed BullMQ job to `failed` with the reason "cancelled", in one script, as BullMQ's own
 * scripts move jobs: BullMQ 6 offers no way to fail a job that no worker holds (`moveToFailed` needs the lock), and
 * removing the job would lose it from `get`, `list` and `counts`. It frees the job's deduplication key as BullMQ
 * does when a job fails, and emits BullMQ's `failed` event. It relies on BullMQ 6's key layout
 * (`<prefix>:<queue>:wait|paused|delayed|prioritized|failed|events|de:<id>`, the `deid` field of the job's hash).
 *
 * KEYS: wait, paused, delayed, prioritized, failed, the job's hash, events.
 * ARGV: the job's id, the time in epoch milliseconds, the queue's key prefix (`<prefix>:<queue>:`), the reason.
 * Returns 1 when the job was cancelled, 0 when it was not waiting or delayed.
 */
export const CANCEL_SCRIPT = `
local jobId = ARGV[1]
if redis.call("EXISTS", KEYS[6]) == 0 then return 0 end
local removed = redis.call("LREM", KEYS[1], 0, jobId) + redis.call("LREM", KEYS[2], 0, jobId)
  + redis.call("ZREM", KEYS[3], jobId) + redis.call("ZREM", KEYS[4], jobId)
if removed == 0 then return 0 end
redis.call("ZADD", KEYS[5], ARGV[2], jobId)
redis.call("HSET", KEYS[6], "failedReason", ARGV[4], "finishedOn", ARGV[2])
local deid = redis.call("HGET", KEYS[6], "deid")
if deid then
  local key = ARGV[3] .. "de:" .. deid
  if redis.call("GET", key) == jobId then redis.call("DEL", key) end
end
redis.call("XADD", KEYS[7], "*", "event", "failed", "jobId", jobId, "failedReason", ARGV[4], "prev", "waiting")
return 1
`;

/** The keys {@link CANCEL_SCRIPT} takes, in order, from a function that names a queue's keys. */
export function cancelKeys(toKey: (type: string) => string, bullId: string): string[] {
  return [
    toKey('wait'),
    toKey('paused'),
    toKey('delayed'),
    toKey('prioritized'),
    toKey('failed'),
    toKey(bullId),
    toKey('events'),
  ];
}
