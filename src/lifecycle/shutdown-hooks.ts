import type { StopReport } from './stop-report.js';

/** Options of `app.enableShutdownHooks()`. */
export interface ShutdownHookOptions {
  /** How to end the process; defaults to `process.exit`. Tests pass a spy. */
  exit?: (code: number) => void;
}

/** Installs the signal listeners and returns a function that removes them. */
export function installShutdownHooks(
  app: { stop(reason?: unknown): Promise<StopReport> },
  signals: readonly NodeJS.Signals[],
  { exit = (code) => process.exit(code) }: ShutdownHookOptions,
): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      exit(1);
      return;
    }
    stopping = true;
    app.stop(signal).then(
      (report) => exit(report.ok ? 0 : 1),
      () => exit(1),
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
