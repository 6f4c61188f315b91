import { createEnrichedUserApp, HttpApi } from '../../samples/enriched-user/app.js';
import { Upstream } from '../../samples/enriched-user/services.js';

describe('the enriched-user sample', () => {
  it('fetches each upstream once per request, sharing the user between enrichedUser and getPosts', async () => {
    const app = await createEnrichedUserApp(() => undefined);
    await app.start();
    const base = `http://127.0.0.1:${app.get(HttpApi).port}`;

    const first = await (await fetch(`${base}/users/1`)).json();
    const second = (await (await fetch(`${base}/users/1`)).json()) as { userFetches: number };
    const upstream = app.get(Upstream);
    await app.stop();

    expect(first).toEqual({
      user: { id: '1', name: 'User 1' },
      posts: ["User 1's first post", "User 1's second post"],
      subscription: 'pro',
      userFetches: 1,
    });
    expect(second.userFetches).toBe(1);
    expect([upstream.callsTo('user:1'), upstream.callsTo('posts:1'), upstream.callsTo('subscription:1')]).toEqual([
      2, 2, 2,
    ]);
  });

  it('answers 404 for other paths', async () => {
    const app = await createEnrichedUserApp(() => undefined);
    await app.start();

    const response = await fetch(`http://127.0.0.1:${app.get(HttpApi).port}/nope`);
    await app.stop();

    expect(response.status).toBe(404);
  });
});
