/**
 * Base class of every error Ordo throws: a stable machine-readable `code`, a message that names the thing at
 * fault, and the original error kept as `cause`.
 *
 * @example
 * try { parseDuration('1hr'); } catch (e) { if (e instanceof OrdoError) console.log(e.code); }
 */
export class OrdoError extends Error {
  /** Stable identifier for programs, e.g. `ORDO_INVALID_DURATION`; messages may change, codes do not. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
