import type { HealthCheckOptions } from '../core/index.js';
import type { DiscoveredComponent } from '../core/internal.js';
import { parseDuration } from '../time/index.js';

/** A discovered component with its resolved instance and its deadlines in milliseconds. */
export interface RunningComponent {
  readonly name: string;
  readonly instance: object;
  readonly startTimeout: number;
  readonly stopTimeout: number;
  /** Options of its `@HealthCheck`, if it has one. */
  readonly healthOptions: HealthCheckOptions;
  /** Whether it stops before the runtimes and the other components. */
  readonly ingress: boolean;
  /** The bound hook for a role, if the component has one. */
  hook(role: 'start' | 'stop' | 'health'): ((signal: AbortSignal) => unknown) | undefined;
  /** `Class.method` of the hook for a role, for messages. */
  describeHook(role: 'start' | 'stop' | 'health'): string;
}

/** Default deadline of `@OnStart`. */
export const DEFAULT_START_TIMEOUT = parseDuration('30s');
/** Default deadline of `@OnStop`. */
export const DEFAULT_STOP_TIMEOUT = parseDuration('10s');

/** Pairs a discovered component with its instance. */
export function runningComponent(component: DiscoveredComponent, instance: object): RunningComponent {
  return new BoundComponent(component, instance);
}

type Role = 'start' | 'stop' | 'health';
type BoundHook = (signal: AbortSignal) => unknown;

class BoundComponent implements RunningComponent {
  readonly name: string;
  readonly startTimeout: number;
  readonly stopTimeout: number;
  readonly healthOptions: HealthCheckOptions;
  readonly ingress: boolean;
  readonly #component: DiscoveredComponent;
  /** Each role's bound hook once asked for (`null`: none): a start and a stop ask for it several times each. */
  readonly #bound: { start?: BoundHook | null; stop?: BoundHook | null; health?: BoundHook | null } = {};

  constructor(
    component: DiscoveredComponent,
    readonly instance: object,
  ) {
    const { options, healthOptions } = component.definition;
    this.#component = component;
    this.name = component.name;
    this.startTimeout = parseDuration(options.startTimeout ?? DEFAULT_START_TIMEOUT);
    this.stopTimeout = parseDuration(options.stopTimeout ?? DEFAULT_STOP_TIMEOUT);
    this.healthOptions = healthOptions;
    this.ingress = component.definition.ingress;
  }

  describeHook(role: Role): string {
    const { type, hooks } = this.#component.definition;
    return `${type.name}.${String(hooks.get(role))}()`;
  }

  hook(role: Role): BoundHook | undefined {
    let bound = this.#bound[role];
    if (bound === undefined) {
      bound = this.#bind(role);
      this.#bound[role] = bound;
    }
    return bound ?? undefined;
  }

  #bind(role: Role): BoundHook | null {
    const method = this.#component.definition.hooks.get(role);
    if (method === undefined) return null;
    const instance = this.instance;
    const fn = (instance as Record<string | symbol, unknown>)[method];
    if (typeof fn !== 'function') return null;
    return (signal: AbortSignal) => fn.call(instance, signal) as unknown;
  }
}
