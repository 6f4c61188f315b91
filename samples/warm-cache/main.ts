import { runWarmCache } from './warm-cache.js';

console.log('--- boot with a healthy upstream');
await runWarmCache({ failPrefetch: false });
console.log('--- boot with an upstream that refuses a key');
const { error } = await runWarmCache({ failPrefetch: true });
console.log(`boot aborted: ${error?.message}`);
