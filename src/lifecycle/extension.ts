import type { Container } from 'inversify';
import type { AppEvents, Logger } from '../core/index.js';
import type { Clock } from '../time/index.js';

/** What an extension gets to work with: the app's container and services. */
export interface ExtensionContext {
  /** The app's container. */
  readonly container: Container;
  /** The app's Clock, resolved once at start: every deadline of the extension goes through it. */
  readonly clock: Clock;
  /** The app's Logger. */
  readonly logger: Logger;
  /** The app's lifecycle events. */
  readonly events: AppEvents;
}

/**
 * A runtime that joins the app's life, such as the scheduler: it starts once every component has started and
 * stops before any component stops. Extensions start in the order given and stop in reverse.
 */
export interface AppExtension {
  /** Shown in logs and stop reports. */
  readonly name: string;
  /** Runs after every component started; a throw fails the boot and rolls back the components. */
  start?(context: ExtensionContext, signal: AbortSignal): void | Promise<void>;
  /**
   * Runs before components stop: stop taking new work, drain in-flight work until `deadline` (a time on the
   * Clock), abort what is left then. Returns problems to report, such as work that ignored its abort.
   */
  stop?(
    context: ExtensionContext,
    deadline: number,
  ): void | ReadonlyArray<{ error: unknown }> | Promise<ReadonlyArray<{ error: unknown }> | void>;
}
