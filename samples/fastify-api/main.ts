import { AnalyticsSettings } from '../register-action/register-action.js';
import { createFastifyApiApp, FastifyApi } from './fastify-api.js';

const app = await createFastifyApiApp({ analytics: new AnalyticsSettings('100ms') });
app.enableShutdownHooks();
await app.start();
const base = `http://127.0.0.1:${app.get(FastifyApi).port}`;
console.log(`GET /users/1 -> ${JSON.stringify(await (await fetch(`${base}/users/1`)).json())}`);
const registered = await fetch(`${base}/register`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
  body: JSON.stringify({ email: 'ada@example.com', userId: 'u1' }),
});
console.log(
  `POST /register -> ${registered.status} ${JSON.stringify(await registered.json())} (analytics still running)`,
);
console.log(`GET /readyz -> ${(await fetch(`${base}/readyz`)).status}`);
// The stop drains the server, then the analytics, before it returns.
const report = await app.stop('sample finished');
console.log(`stopped: ok=${report.ok} ${JSON.stringify(report.details)}`);
