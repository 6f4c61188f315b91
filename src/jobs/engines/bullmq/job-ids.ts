import type { JobId } from '../../job-types.js';

/**
 * How Ordo's job ids map onto BullMQ's: one BullMQ queue per job name, so ids are `<queue>:<BullMQ id>`. A queue's
 * name is the job name with `%` and `:` percent-encoded (BullMQ refuses `:` in queue names), which keeps the mapping
 * one-to-one; BullMQ's own ids are integers and never hold a `:`.
 */
export function queueNameOf(jobName: string): string {
  return jobName.replaceAll('%', '%25').replaceAll(':', '%3A');
}

/** The job name a queue was named for (the inverse of {@link queueNameOf}). */
export function jobNameOf(queueName: string): string {
  return queueName.replaceAll('%3A', ':').replaceAll('%25', '%');
}

/** The Ordo id of BullMQ job `bullId` in queue `queueName`. */
export function jobIdOf(queueName: string, bullId: string): JobId {
  return `${queueName}:${bullId}`;
}

/** The queue and BullMQ id an Ordo id names; `undefined` for an id this engine never made. */
export function parseJobId(id: JobId): { readonly queueName: string; readonly bullId: string } | undefined {
  const at = id.lastIndexOf(':');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { queueName: id.slice(0, at), bullId: id.slice(at + 1) };
}
