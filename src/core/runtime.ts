import type { Container } from 'inversify';
import type { Clock } from '../time/index.js';
import type { AppEvents } from './events.js';
import type { Logger } from './logger.js';

/** What a runtime gets at `Ordo.create()`: the container, before anything in it is resolved. */
export interface RuntimePreparation {
  /** The app's container, with the modules, the overrides, `Clock`, `Logger` and `App` bound. */
  readonly container: Container;
}

/** What a runtime gets from `start()` on: the app's container and the services `start()` resolved. */
export interface RuntimeContext {
  /** The app's container. */
  readonly container: Container;
  /** The app's Clock, resolved once at start: every deadline of the runtime goes through it. */
  readonly clock: Clock;
  /** The app's Logger. */
  readonly logger: Logger;
  /** The app's lifecycle events. */
  readonly events: AppEvents;
}

/** A problem a runtime's stop reports, such as work that ignored its abort; it reaches `StopReport.problems`. */
export interface RuntimeProblem {
  /** What went wrong. */
  readonly error: unknown;
}

/**
 * A capability that joins the app's life beside its components (the tasks wiring, the scheduler, job workers, or
 * one of yours through `Ordo.create(root, { runtimes })`). Every phase is optional. Runtimes are prepared and
 * started in a fixed order and stopped and closed in reverse:
 *
 * 1. `prepare` at `Ordo.create()`: validate metadata and bind tokens; resolve nothing and open nothing, since
 *    nothing closes what a failed `create()` opened.
 * 2. `start` once every component's `@OnStart` completed; a throw fails the boot, and the components and the
 *    runtimes already started are stopped again.
 * 3. `stop` before any component's `@OnStop`: stop taking work, drain until `deadline` (a time on the Clock), abort
 *    the rest, and return what ignored its abort. Only runtimes whose start completed are stopped.
 * 4. `close` once the components stopped (or the start failed): release what the runtime holds. Every prepared
 *    runtime is closed, once, whether or not it started.
 *
 * Each wait on a runtime is bounded by the shutdown budget once a stop is under way: one that does not settle in
 * time is given up on and reported in `StopReport.abandoned`.
 */
export interface Runtime {
  /** Shown in logs and stop reports. */
  readonly name: string;
  /** Runs at `Ordo.create()`, before components are discovered (so they may inject what it binds); a throw fails `create()`. */
  prepare?(preparation: RuntimePreparation): void | Promise<void>;
  /** Runs after every component started; `signal` aborts when `stop()` comes during the start. */
  start?(context: RuntimeContext, signal: AbortSignal): void | Promise<void>;
  /** Runs before components stop; returns the problems to report. */
  stop?(
    context: RuntimeContext,
    deadline: number,
  ): void | readonly RuntimeProblem[] | Promise<readonly RuntimeProblem[] | void>;
  /** Runs after the components stopped; a throw is logged and reported as a problem of the stop. */
  close?(): void | Promise<void>;
}

/**
 * The runtime contract under its first name: a runtime given through the `extensions` option.
 *
 * @deprecated Use {@link Runtime} and `Ordo.create(root, { runtimes })`.
 */
export type AppExtension = Runtime;

/**
 * What an extension gets to work with.
 *
 * @deprecated Use {@link RuntimeContext}.
 */
export type ExtensionContext = RuntimeContext;
