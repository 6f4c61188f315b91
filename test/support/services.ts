import { Socket } from 'node:net';

/** A service the tests need, found or not, and the `describe` to group its tests under. */
export interface Service {
  /** Where it is. */
  readonly url: string;
  /** Whether it answered. */
  readonly available: boolean;
  /** `describe` when it answered, `describe.skip` when not (outside CI only). */
  readonly describe: jest.Describe;
}

/**
 * Redis for the tests that need it, at `REDIS_URL` or 127.0.0.1:6379. When it does not answer, those tests are
 * skipped on a developer's machine, and fail under `CI=true`, where a skip would hide that they never ran
 * (`.ci/run` starts Redis). Use it at the top of every test file that talks to Redis:
 * `const redis = await requireRedis(); redis.describe('…', () => { … })`.
 */
export async function requireRedis(): Promise<Service> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const available = await answersPing(url);
  if (!available && process.env.CI === 'true') {
    throw new Error(
      `Redis at ${url} does not answer, and under CI=true a skipped test is a failure: start it (.ci/run does)`,
    );
  }
  return { url, available, describe: available ? describe : describe.skip };
}

/** True when a Redis server at `url` answers PING within a second. */
function answersPing(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(Number(port || 6379), hostname || '127.0.0.1', () => socket.write('PING\r\n'));
  });
}
