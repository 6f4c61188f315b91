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
  const { options, hooks, healthOptions } = component.definition;
  return {
    name: component.name,
    instance,
    startTimeout: parseDuration(options.startTimeout ?? DEFAULT_START_TIMEOUT),
    stopTimeout: parseDuration(options.stopTimeout ?? DEFAULT_STOP_TIMEOUT),
    healthOptions,
    describeHook(role) {
      return `${component.definition.type.name}.${String(hooks.get(role))}()`;
    },
    hook(role) {
      const method = hooks.get(role);
      if (method === undefined) return undefined;
      const fn = (instance as Record<string | symbol, unknown>)[method];
      if (typeof fn !== 'function') return undefined;
      return (signal: AbortSignal) => fn.call(instance, signal);
    },
  };
}
