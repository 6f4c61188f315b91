export { OrdoError } from './ordo-error.js';
