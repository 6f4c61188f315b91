import { messageOf } from '../errors/index.js';
import { Logger } from '../core/index.js';

/**
 * The app's Logger as Ordo calls it: a method that throws is contained, as a throwing event listener is, so a
 * broken logger cannot fail a boot or a shutdown, nor leave components running. The first failure is reported
 * once as a process warning (there is no logger left to report it to); later ones are dropped.
 */
export class GuardedLogger extends Logger {
  readonly #inner: Logger;
  #warned = false;

  constructor(inner: Logger) {
    super();
    this.#inner = inner;
  }

  debug(fields: object, message?: string): void {
    this.#call('debug', fields, message);
  }
  info(fields: object, message?: string): void {
    this.#call('info', fields, message);
  }
  warn(fields: object, message?: string): void {
    this.#call('warn', fields, message);
  }
  error(fields: object, message?: string): void {
    this.#call('error', fields, message);
  }

  #call(level: 'debug' | 'info' | 'warn' | 'error', fields: object, message: string | undefined): void {
    try {
      this.#inner[level](fields, message);
    } catch (error) {
      if (this.#warned) return;
      this.#warned = true;
      const why = messageOf(error);
      process.emitWarning(`the app's Logger threw in ${level}() (later failures are not reported): ${why}`);
    }
  }
}
