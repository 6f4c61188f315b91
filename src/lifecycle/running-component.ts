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
  /**
   * The bound hook for a role, if the component has one. It declares no parameter when the method cannot read the
   * signal it is given (see {@link readsItsArguments}), so that a caller can spare creating one.
   */
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
      if (!readsItsArguments(fn as () => unknown)) return () => fn.call(instance);
      return (signal: AbortSignal) => fn.call(instance, signal);
    },
  };
}

/** An empty parameter list at the head of a function's source, after `async`, `function`, `*` or a plain name. */
const NO_PARAMETERS = /^(?:async\s+)?(?:function\b\s*)?\*?\s*[\w$]*\s*\(\s*\)|^(?:async\s*)?\(\s*\)\s*=>/;
const READS_ARGUMENTS = /\b(?:arguments|eval)\b|\[native code\]/;

/**
 * Whether `fn` could read an argument it is called with. False only when it provably cannot: it declares no
 * parameter (not even a rest or defaulted one) and its source never mentions `arguments` or `eval`; a bound or
 * native function, a computed or quoted method name, or anything else unusual counts as reading.
 *
 * Why it matters: most `@OnStop` hooks and many `@OnStart` hooks take no signal, and on Node 20 creating an
 * AbortSignal costs a few microseconds and about 1.5 kB, more than the rest of running a trivial hook. Reading a
 * method's source is cheaper than that, and is done once per hook run, so it is not cached.
 */
export function readsItsArguments(fn: (...args: never[]) => unknown): boolean {
  if (fn.length > 0) return true;
  const source = Function.prototype.toString.call(fn);
  return !NO_PARAMETERS.test(source) || READS_ARGUMENTS.test(source);
}
