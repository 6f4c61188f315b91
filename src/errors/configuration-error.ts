import { OrdoError } from './ordo-error.js';

/**
 * A mistake in how classes, modules or bindings are declared, found by `Ordo.create()` before anything runs.
 * `code` says which kind (e.g. `ORDO_DUPLICATE_HOOK`, `ORDO_UNBOUND_DEPENDENCY`, `ORDO_DEPENDENCY_CYCLE`).
 */
export class ConfigurationError extends OrdoError {}
