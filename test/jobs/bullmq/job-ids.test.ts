import { jobIdOf, jobNameOf, parseJobId, queueNameOf } from '../../../src/jobs/engines/bullmq/job-ids.js';

describe('BullMQ job ids', () => {
  it('name the queue and the BullMQ id, and parse back', () => {
    const id = jobIdOf(queueNameOf('mail'), '42');

    expect(id).toBe('mail:42');
    expect(parseJobId(id)).toEqual({ queueName: 'mail', bullId: '42' });
  });

  it.each(['mail:send', 'a%3Ab', '%', ':', 'x%25:y'])(
    'map the job name %j to a queue name without a colon and back',
    (name) => {
      const queueName = queueNameOf(name);

      expect(queueName).not.toContain(':');
      expect(jobNameOf(queueName)).toBe(name);
    },
  );

  it.each(['', 'nocolon', ':1', 'mail:'])('reject %j, which this engine never made', (id) => {
    expect(parseJobId(id)).toBeUndefined();
  });
});
