import { injectable } from 'inversify';

/**
 * Ordo's logging token and interface, shaped like pino's so a pino logger binds as is:
 * `container.bind(Logger).toConstantValue(pino())`. Ordo always calls `level(fields, message)`.
 */
export abstract class Logger {
  /** Detail for debugging; Ordo logs nothing at this level today. */
  abstract debug(fields: object, message?: string): void;
  /** Lifecycle progress: a component started or stopped, the app started or stopped. */
  abstract info(fields: object, message?: string): void;
  /** Something was given up on, such as a component skipped when the shutdown budget ran out. */
  abstract warn(fields: object, message?: string): void;
  /** A hook, a check or a listener failed; the error is in `fields.err`. */
  abstract error(fields: object, message?: string): void;
}

/** The default {@link Logger}: one line per entry on the console, message first, then the fields as JSON. */
@injectable()
export class ConsoleLogger extends Logger {
  debug(fields: object, message?: string): void {
    console.debug(format(message, fields));
  }
  info(fields: object, message?: string): void {
    console.info(format(message, fields));
  }
  warn(fields: object, message?: string): void {
    console.warn(format(message, fields));
  }
  error(fields: object, message?: string): void {
    console.error(format(message, fields));
  }
}

/** A {@link Logger} that drops everything; handy in tests and benchmarks. */
@injectable()
export class SilentLogger extends Logger {
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(): void {}
}

function format(message: string | undefined, fields: object): string {
  const json = JSON.stringify(fields, errorsAsFields());
  return `[ordo] ${message ?? ''} ${json === '{}' ? '' : json}`.trimEnd();
}

/**
 * A JSON replacer that writes an Error as its name, message, code, stack and cause chain (its own properties are
 * not enumerable, so JSON would write `{}`). An error already written in the entry is written by name only,
 * which also ends a cycle of causes.
 */
function errorsAsFields(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<Error>();
  return (_key, value) => {
    if (!(value instanceof Error)) return value;
    if (seen.has(value)) return `[circular ${value.name}]`;
    seen.add(value);
    const { code, cause } = value as { code?: unknown; cause?: unknown };
    return {
      name: value.name,
      message: value.message,
      ...(code === undefined ? {} : { code }),
      stack: value.stack,
      ...(cause === undefined ? {} : { cause }),
    };
  };
}
