import {
  Logger,
  type Runtime,
  type RuntimeContext,
  type RuntimePreparation,
  type RuntimeProblem,
} from '../core/index.js';
import type { RequestEnd } from '../core/internal.js';
import { Clock } from '../time/index.js';
import { Background } from './background.js';
import { BackgroundPool, type BackgroundServices } from './background-pool.js';

/**
 * The app's background work, as a runtime: it binds {@link Background} at `Ordo.create()` (unless the container
 * binds it already, e.g. to a fake), takes the app's Clock, Logger and events once the app starts (before that,
 * work started by an `@OnStart` uses the container's Clock and Logger), drains the work at `stop()` and ends it at
 * `close()`.
 */
export class BackgroundRuntime implements Runtime {
  readonly name = 'background';
  /** The work in flight; bound as `Background` unless the container binds one already. */
  readonly pool: BackgroundPool;
  #container?: RuntimePreparation['container'];
  #services?: BackgroundServices;

  /** @param requestEnd how `after()` learns that a request scope ended: the tasks capability's side of the seam. */
  constructor(requestEnd: RequestEnd) {
    this.pool = new BackgroundPool(() => this.#resolved(), requestEnd);
  }

  /** Binds `Background`, resolving nothing: the Clock and Logger are asked for when work first needs them. */
  prepare({ container }: RuntimePreparation): void {
    this.#container = container;
    if (!container.isBound(Background)) container.bind(Background).toConstantValue(this.pool);
  }

  /** Takes the app's Clock, guarded Logger and events for the work from now on. */
  start({ clock, logger, events }: RuntimeContext): void {
    this.#services = { clock, logger, events };
  }

  /** Refuses new work, drains what is in flight, aborts the rest, and returns what ignored its abort. */
  stop(context: RuntimeContext, deadline: number): RuntimeProblem[] | Promise<RuntimeProblem[]> {
    this.#services ??= { clock: context.clock, logger: context.logger, events: context.events };
    return this.pool.drain(context.clock, deadline);
  }

  /** Refuses work for good and aborts what still runs (after a failed boot, nothing drained it). */
  close(): void {
    this.pool.end();
  }

  #resolved(): BackgroundServices {
    this.#services ??= { clock: this.#container!.get(Clock), logger: this.#container!.get(Logger) };
    return this.#services;
  }
}
