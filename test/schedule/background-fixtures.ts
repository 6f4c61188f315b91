import { Container } from 'inversify';
import {
  Background,
  Clock,
  Logger,
  Ordo,
  VirtualClock,
  type App,
  type AppEventMap,
  type CreateOptions,
} from '../../src/index.js';

/** One call into the app's Logger. */
export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string | undefined;
}

/** A Logger that keeps every entry, to assert on what was logged. */
export class RecordingLogger extends Logger {
  readonly entries: LogEntry[] = [];
  debug(fields: object, message?: string): void {
    this.entries.push({ level: 'debug', fields: fields as Record<string, unknown>, message });
  }
  info(fields: object, message?: string): void {
    this.entries.push({ level: 'info', fields: fields as Record<string, unknown>, message });
  }
  warn(fields: object, message?: string): void {
    this.entries.push({ level: 'warn', fields: fields as Record<string, unknown>, message });
  }
  error(fields: object, message?: string): void {
    this.entries.push({ level: 'error', fields: fields as Record<string, unknown>, message });
  }
  /** The entries with `message`. */
  withMessage(message: string): LogEntry[] {
    return this.entries.filter((entry) => entry.message === message);
  }
}

/** An app on a VirtualClock with a recording logger, started, and its Background. */
export async function backgroundApp(
  classes: Array<new (...args: never[]) => unknown> = [],
  options: CreateOptions = {},
): Promise<{
  app: App;
  clock: VirtualClock;
  background: Background;
  logger: RecordingLogger;
  failures: Array<AppEventMap['background:failed'][0]>;
}> {
  const clock = new VirtualClock();
  const logger = new RecordingLogger();
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Logger).toConstantValue(logger);
  for (const type of classes) container.bind(type).toSelf();
  const app = await Ordo.create(container, { ...options, overrides: [[Clock, clock], ...(options.overrides ?? [])] });
  const failures: Array<AppEventMap['background:failed'][0]> = [];
  app.events.on('background:failed', (failure) => failures.push(failure));
  await app.start();
  return { app, clock, background: app.get(Background), logger, failures };
}

/** Collects the unhandled rejections of the process while `fn` runs and one event-loop turn after it. */
export async function unhandledRejectionsOf(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await fn();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}
