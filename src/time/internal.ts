/** What the rest of Ordo needs from the time capability and users do not, apart from the public face in index.ts. */
export { isThenable } from './thenable.js';
