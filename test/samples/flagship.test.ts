import { runFlagship } from '../../samples/flagship/flagship.js';

describe('the flagship sample', () => {
  it('boots, serves, stops in reverse, runs scheduled work, sends a welcome email as a durable job and shows both clocks', async () => {
    const lines: string[] = [];

    await runFlagship((line) => lines.push(line));

    const text = lines.join('\n');
    expect(text).toContain('start order (waves): database -> cache -> http-server');
    expect(text).toContain('GET /readyz -> 200 {"status":"ok"');
    expect(text).toContain('stopped: http-server, cache, database (ok: true)');
    expect(text).toContain('user fetched 1 time(s) for enrichedUser + getPosts');
    expect(text).toContain('hourly refreshes: 168, first at 2026-03-23T01:00:00.000Z');
    expect(text).toContain('weekly report for 2026-03-24T02:00:00.000Z (03:00 in Berlin)');
    expect(text).toContain('NightlyReport.weekly: 1 runs, next 2026-03-31T01:00:00.000Z');
    expect(lines.filter((l) => l.includes('job 1') || l.includes('attempt 1 failed'))).toEqual([
      '  register(u7, grace@example.com) -> welcome email is job 1, sent by Mailer.send on a SQLite file',
      '  attempt 1 failed: 421 try again later, retried after the backoff',
      '  job 1: completed on attempt 2',
    ]);
    expect(text).toContain('slept 100ms, about 100 ms of real time passed');
    expect(lines.filter((l) => l.includes('tick at'))).toEqual([
      '  tick at 2026-03-01T01:00:00.000Z, handled by 2026-03-01T01:10:00.000Z',
      '  tick at 2026-03-01T02:00:00.000Z, handled by 2026-03-01T02:10:00.000Z',
      '  tick at 2026-03-01T03:00:00.000Z, handled by 2026-03-01T03:10:00.000Z',
    ]);
  });
});
