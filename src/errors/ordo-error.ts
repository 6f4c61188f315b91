import type { OrdoErrorCode } from './codes.js';

/**
 * Marks an error as Ordo's. `Symbol.for` gives every copy of the package the same symbol, so the mark survives what
 * `instanceof` does not: two installed copies of Ordo (a library pinning its own), or an error from another realm.
 */
const BRAND: unique symbol = Symbol.for('ordo.error');

/**
 * Base class of every error Ordo throws: a stable machine-readable `code`, a message that names the thing at
 * fault, and the original error kept as `cause`.
 *
 * @example
 * try { parseDuration('1hr'); } catch (e) { if (OrdoError.is(e, 'ORDO_INVALID_DURATION')) console.log(e.message); }
 */
export class OrdoError extends Error {
  /** Stable identifier for programs, e.g. `ORDO_INVALID_DURATION`; messages may change, codes do not. */
  readonly code: OrdoErrorCode;

  constructor(code: OrdoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
    // Not enumerable: the brand is for OrdoError.is, not for logs, JSON or deep equality.
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * True for an error made by `OrdoError` or a subclass in any copy of Ordo, where `instanceof` is false for
   * copies other than the caller's; with `code`, only for an error with that code. It checks the Ordo brand
   * only, also when called on a subclass (`StartupError.is(e)` is true for any Ordo error): match subclasses on
   * `code`.
   */
  static is(value: unknown, code?: OrdoErrorCode): value is OrdoError {
    if (typeof value !== 'object' || value === null) return false;
    const branded = value as { [BRAND]?: unknown; code?: unknown };
    return branded[BRAND] === true && (code === undefined || branded.code === code);
  }
}
