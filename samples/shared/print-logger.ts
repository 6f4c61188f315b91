import { Logger } from '../../src/index.js';

/** A sample's logger: one readable line per entry, sent to `print` (the console, or a test's array). */
export class PrintLogger extends Logger {
  constructor(private readonly print: (line: string) => void = console.log) {
    super();
  }
  debug(): void {}
  info(fields: object, message?: string): void {
    this.print(line('info ', fields, message));
  }
  warn(fields: object, message?: string): void {
    this.print(line('warn ', fields, message));
  }
  error(fields: object, message?: string): void {
    this.print(line('error', fields, message));
  }
}

function line(level: string, fields: object, message = ''): string {
  const parts = Object.entries(fields).map(
    ([key, value]) => `${key}=${value instanceof Error ? JSON.stringify(value.message) : JSON.stringify(value)}`,
  );
  return `${level} ${message}${parts.length ? ` ${parts.join(' ')}` : ''}`;
}
