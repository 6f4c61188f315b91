/**
 * One 'abort' listener per signal, however many waits hang on it.
 *
 * A request handler typically passes the same signal to every task it runs; adding a listener per call would
 * trip Node's MaxListenersExceededWarning after ten and keep every finished wait reachable from a long-lived
 * signal. Here a signal carries a single listener while something watches it, removed when the last watcher
 * leaves.
 */

/** Something that must hear about a signal's abort. */
export interface AbortListener {
  /** Called once, with the signal's reason, when a watched signal aborts. */
  onAbort(reason: unknown): void;
}

interface Watch {
  readonly listeners: Set<AbortListener>;
  readonly handler: () => void;
}

const watches = new WeakMap<AbortSignal, Watch>();

/** Calls `listener.onAbort(signal.reason)` when `signal` aborts, unless {@link unwatchAbort} comes first. */
export function watchAbort(signal: AbortSignal, listener: AbortListener): void {
  let watch = watches.get(signal);
  if (watch === undefined) {
    const listeners = new Set<AbortListener>();
    const handler = (): void => {
      watches.delete(signal);
      for (const each of listeners) each.onAbort(signal.reason);
    };
    watch = { listeners, handler };
    watches.set(signal, watch);
    signal.addEventListener('abort', handler, { once: true });
  }
  watch.listeners.add(listener);
}

/** Stops `listener` hearing about `signal`; removes the signal's listener when no one else watches it. */
export function unwatchAbort(signal: AbortSignal, listener: AbortListener): void {
  const watch = watches.get(signal);
  if (watch === undefined) return;
  watch.listeners.delete(listener);
  if (watch.listeners.size === 0) {
    watches.delete(signal);
    signal.removeEventListener('abort', watch.handler);
  }
}
