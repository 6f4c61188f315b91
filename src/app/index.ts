/** The public face of the composition root: the App, `Ordo.create()` and their options. */
export { App, type AppOptions } from './app.js';
export { Ordo, type CreateOptions } from './ordo.js';
