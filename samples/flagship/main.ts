import { runFlagship } from './flagship.js';

await runFlagship();
