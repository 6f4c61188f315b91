import { createEnrichedUserApp, HttpApi } from './app.js';

const app = await createEnrichedUserApp();
await app.start();
const base = `http://127.0.0.1:${app.get(HttpApi).port}`;
for (const id of ['1', '2']) {
  const body = await (await fetch(`${base}/users/${id}`)).json();
  console.log(`GET /users/${id} -> ${JSON.stringify(body)}`);
}
await app.stop('sample finished');
