import { burst, ConfigUpstream, createHerdApp } from './config-client.js';

const app = await createHerdApp();
await app.start();
const configs = await burst(app, 10_000);
console.log(
  `10,000 concurrent requests read config version ${configs[0]!.version}; upstream calls: ${app.get(ConfigUpstream).calls}`,
);
await burst(app, 10_000);
console.log(`another 10,000 within the ttl; upstream calls still: ${app.get(ConfigUpstream).calls}`);
await app.stop('sample finished');
