import { Background, VirtualClock } from '../../src/index.js';
import {
  ActionEndpoint,
  AnalyticsRecorder,
  AnalyticsSettings,
  createRegisterApp,
} from '../../samples/register-action/register-action.js';
import { settleWith } from '../support/app-fixtures.js';

describe('the register-action sample', () => {
  it('answers before the analytics run, then records them with the request id in the log', async () => {
    const clock = new VirtualClock();
    const lines: string[] = [];
    const app = await createRegisterApp({ clock, print: (line) => lines.push(line) });
    await app.start();
    const analytics = app.get(AnalyticsRecorder);

    const response = await app.get(ActionEndpoint).post('req-1', { email: 'ada@example.com', userId: 'u1' });
    const recordedAtResponse = [...analytics.recorded];
    await settleWith(clock, app.get(Background).settle(), '100ms');

    expect(response).toEqual({ ok: true });
    expect(recordedAtResponse).toEqual([]);
    expect(analytics.recorded).toEqual(['user_registered:u1']);
    const sent = lines.findIndex((l) => l === 'info  response sent requestId="req-1" ok=true');
    const recorded = lines.findIndex((l) => l === 'info  analytics recorded requestId="req-1" userId="u1"');
    expect({ sent: sent >= 0, recordedAfterSent: recorded > sent }).toEqual({ sent: true, recordedAfterSent: true });
    await app.stop();
  });

  it('logs a failed analytics call with the request id, and the response was ok all the same', async () => {
    const clock = new VirtualClock();
    const lines: string[] = [];
    const app = await createRegisterApp({
      clock,
      print: (line) => lines.push(line),
      analytics: new AnalyticsSettings('200ms', true),
    });
    await app.start();

    const response = await app.get(ActionEndpoint).post('req-2', { email: 'bob@example.com', userId: 'u2' });
    await settleWith(clock, app.get(Background).settle(), '100ms');

    expect(response).toEqual({ ok: true });
    expect(lines).toContain('warn  post-response analytics failed requestId="req-2" err="analytics answered 503"');
    await app.stop();
  });

  it('drains the analytics still running when the app stops', async () => {
    const clock = new VirtualClock();
    const app = await createRegisterApp({ clock, print: () => undefined });
    await app.start();
    await app.get(ActionEndpoint).post('req-3', { email: 'eve@example.com', userId: 'u3' });

    const report = await settleWith(clock, app.stop('SIGTERM'), '100ms');

    expect(app.get(AnalyticsRecorder).recorded).toEqual(['user_registered:u3']);
    expect(report).toMatchObject({ ok: true, problems: [] });
  });
});
