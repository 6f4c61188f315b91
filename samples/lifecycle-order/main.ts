import { createLifecycleApp } from './app.js';

const app = await createLifecycleApp();
app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
app.events.on('app:stopped', ({ ok }) => console.log(`stopped ${ok ? 'cleanly' : 'with problems'}`));
await app.start();
const health = await app.listenHealth();
console.log(`ready; health at ${health.url}/readyz — send SIGTERM or press Ctrl-C to stop`);
