import { ActionEndpoint, createRegisterApp } from './register-action.js';

const app = await createRegisterApp();
await app.start();
const endpoint = app.get(ActionEndpoint);
const response = await endpoint.post('req-1', { email: 'ada@example.com', userId: 'u1' });
console.log(`POST /register -> ${JSON.stringify(response)} (analytics still running)`);
// The stop drains the analytics before it returns.
const report = await app.stop('sample finished');
console.log(`stopped: ok=${report.ok}`);
