/**
 * Gives a dead BullMQ job its deduplication key back before BullMQ's own retry moves it out of `failed`: BullMQ frees
 * the key when a job fails for good and does not set it again on a retry, so a same-key enqueue would add a second
 * live job. Refuses when a newer live job holds the key (two live jobs never share one, as on SQLite); a key left by
 * a job whose hash is gone counts as free, as BullMQ's own stale-key recovery treats it. Relies on BullMQ 6's key
 * layout (`<prefix>:<queue>:failed|de:<id>|<jobId>`, the `deid` field of the job's hash), like cancel-script.ts.
 *
 * KEYS: failed, the job's hash.
 * ARGV: the job's id, the queue's key prefix (`<prefix>:<queue>:`).
 * Returns 1 when the job may be retried (its key, if it has one, is now its own), 0 when it is not dead, -1 when a
 * newer live job holds its key.
 */
export const CLAIM_KEY_FOR_RETRY_SCRIPT = `
local jobId = ARGV[1]
if not redis.call("ZSCORE", KEYS[1], jobId) then return 0 end
local deid = redis.call("HGET", KEYS[2], "deid")
if not deid then return 1 end
local key = ARGV[2] .. "de:" .. deid
local holder = redis.call("GET", key)
if holder and holder ~= jobId and redis.call("EXISTS", ARGV[2] .. holder) == 1 then return -1 end
redis.call("SET", key, jobId)
return 1
`;

/**
 * Frees the key {@link CLAIM_KEY_FOR_RETRY_SCRIPT} gave a job whose retry then failed, if the job is still dead and
 * the key still its own. Same keys and arguments.
 */
export const RELEASE_KEY_AFTER_FAILED_RETRY_SCRIPT = `
local jobId = ARGV[1]
if not redis.call("ZSCORE", KEYS[1], jobId) then return 0 end
local deid = redis.call("HGET", KEYS[2], "deid")
if not deid then return 0 end
local key = ARGV[2] .. "de:" .. deid
if redis.call("GET", key) == jobId then return redis.call("DEL", key) end
return 0
`;
