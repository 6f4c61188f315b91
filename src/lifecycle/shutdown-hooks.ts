import { messageOf } from '../errors/index.js';
import { constants } from 'node:os';
import { ConfigurationError } from '../core/index.js';
import type { StopReport } from './stop-report.js';

/** Options of `app.enableShutdownHooks()`. */
export interface ShutdownHookOptions {
  /**
   * How to end the process. Tests pass a spy.
   * @default process.exit
   */
  exit?: (code: number) => void;
}

/**
 * Installs the signal listeners and returns a function that removes them. All or nothing: a signal that is unknown
 * or cannot be caught fails the call with the listeners already installed removed again.
 *
 * @throws ConfigurationError (`ORDO_INVALID_SIGNAL`) naming the signal, with the system's error as `cause`.
 */
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
  const installed: NodeJS.Signals[] = [];
  const remove = () => {
    for (const signal of installed) process.off(signal, onSignal);
  };
  for (const signal of signals) {
    try {
      assertCatchable(signal);
      process.on(signal, onSignal);
      installed.push(signal);
    } catch (cause) {
      process.off(signal, onSignal);
      remove();
      throw new ConfigurationError(
        'ORDO_INVALID_SIGNAL',
        `enableShutdownHooks() cannot listen for ${String(signal)}: ${messageOf(cause)}; ` +
          'pass signals a process can catch, such as SIGTERM, SIGINT or SIGHUP',
        { cause },
      );
    }
  }
  return remove;
}

/** Signals no process can catch: the system refuses a listener for them. */
const UNCATCHABLE = new Set<string>(['SIGKILL', 'SIGSTOP']);

/** Throws for a name that is no signal of this platform, or a signal no process can catch. */
function assertCatchable(signal: string): void {
  // A misspelt name would be a plain event that no signal ever emits: the process would ignore the signal.
  if (!Object.hasOwn(constants.signals, signal)) throw new TypeError(`${signal} is not a signal of this platform`);
  if (UNCATCHABLE.has(signal)) throw new TypeError(`${signal} cannot be caught by any process`);
}
