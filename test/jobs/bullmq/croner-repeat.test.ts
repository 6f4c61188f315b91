import { Cron } from 'croner';
import { cronerRepeatStrategy } from '../../../src/jobs/engines/bullmq/index.js';

describe("the BullMQ engine's repeat strategy", () => {
  const springForward = Date.parse('2026-03-08T05:00:00Z'); // midnight in New York, the day clocks skip 02:00-03:00

  it("computes croner's next time, so a 02:30 New York job runs at 03:00 on the spring-forward day", () => {
    const next = cronerRepeatStrategy(springForward, { pattern: '30 2 * * *', tz: 'America/New_York' });

    expect(next).toBe(
      new Cron('30 2 * * *', { timezone: 'America/New_York' }).nextRun(new Date(springForward))?.getTime(),
    );
    expect(new Date(next as number).toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('answers strictly after the instant it is asked from, as BullMQ expects after each slot', () => {
    const slot = Date.parse('2026-03-09T06:30:00Z'); // 02:30 in New York

    const next = cronerRepeatStrategy(slot, { pattern: '30 2 * * *', tz: 'America/New_York' });

    expect(next).toBe(slot + 86_400_000);
  });

  it('starts no sooner than the start date', () => {
    const next = cronerRepeatStrategy(springForward, {
      pattern: '0 * * * *',
      startDate: '2026-04-01T00:30:00Z',
    });

    expect(next).toBe(Date.parse('2026-04-01T01:00:00Z'));
  });

  it('keeps BullMQ meaning for every: the next multiple of the period', () => {
    expect(cronerRepeatStrategy(10_500, { every: 1_000 })).toBe(11_000);
  });
});
