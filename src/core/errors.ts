// ConfigurationError lives in errors/, below every capability (tasks/ throws it too); core's users keep finding it here.
export { ConfigurationError } from '../errors/index.js';
