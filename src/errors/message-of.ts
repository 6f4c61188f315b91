/**
 * The text to quote from something thrown: an `Error`'s message, anything else converted with `String`. For
 * messages that name what went wrong underneath ("could not be created: <message>"), where the whole error stays
 * the `cause`. Internal: src/errors/index.ts exports it, the package root does not.
 */
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
