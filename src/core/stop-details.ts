/**
 * Figures a component's `@OnStop` hands to the stop report, such as how many requests a server drained: counts,
 * flags or short labels, keyed by what they measure.
 */
export type StopDetails = Readonly<Record<string, number | string | boolean>>;

/**
 * Marks a value as stop details. `Symbol.for` gives every copy of the package the same symbol, so that details made
 * by another copy of Ordo (a library pinning its own) are still recognised.
 */
const BRAND: unique symbol = Symbol.for('ordo.stop-details');

/** What {@link stopDetails} returns: the figures, marked so that the lifecycle tells them from any other value. */
export type MarkedStopDetails = StopDetails & { readonly [BRAND]: true };

/**
 * Wraps figures for a `@OnStop` hook to return (or resolve with): they appear in `StopReport.details` under the
 * component's name, and in its `component:stopped` event and log line. Any other value a hook returns is still
 * ignored, so `return this.pool.end()` never puts a driver's answer in the report.
 *
 * @example
 * ```ts
 * @OnStop() async close(signal: AbortSignal) {
 *   const dropped = await this.queue.flush(signal);
 *   return stopDetails({ dropped });
 * }
 * ```
 */
export function stopDetails(figures: StopDetails): MarkedStopDetails {
  const marked = { ...figures };
  // Not enumerable: the mark is for the lifecycle, not for logs, JSON or deep equality.
  Object.defineProperty(marked, BRAND, { value: true });
  return Object.freeze(marked) as MarkedStopDetails;
}

/** The figures of a value made by {@link stopDetails}, or `undefined` for any other value. */
export function detailsOf(value: unknown): StopDetails | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as { [BRAND]?: unknown })[BRAND] === true ? { ...(value as StopDetails) } : undefined;
}
