export { OrdoError } from './ordo-error.js';
export { ConfigurationError } from './configuration-error.js';
export { ERROR_CODES, isOrdoErrorCode, type OrdoErrorCode } from './codes.js';
export { messageOf } from './message-of.js';
