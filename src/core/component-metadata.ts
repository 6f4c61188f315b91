import { injectable, injectFromBase } from 'inversify';
import type { OrdoErrorCode } from '../errors/index.js';
import type { Duration } from '../time/index.js';
import type { HealthResult } from './health-result.js';
import { ConfigurationError } from './errors.js';
import { CIRCULAR_IMPORT_HINT, describeValue, durationOption } from './option-checks.js';

/** Options of {@link Component}. */
export interface ComponentOptions {
  /**
   * Unique name within the app, used in logs, events, health and errors.
   *
   * @default the class name
   */
  name?: string;
  /**
   * Components this one must start after (and stop before), in addition to those found through injection:
   * their classes or names.
   *
   * @default []
   *
   * @example
   * ```ts
   * @Component({ dependsOn: ['migrations'] }) // started after the component named "migrations"
   * ```
   */
  dependsOn?: ReadonlyArray<string | AnyClass>;
  /**
   * Deadline for `@OnStart`: past it, the start fails with a `HookTimeoutError` (`ORDO_HOOK_TIMEOUT`).
   *
   * @default '30s'
   */
  startTimeout?: Duration;
  /**
   * Deadline for `@OnStop`, and never more than the shutdown budget leaves.
   *
   * @default '10s'
   */
  stopTimeout?: Duration;
  /**
   * Whether the component takes work from outside the app (an HTTP server, a queue consumer). An ingress component
   * stops right after the drain delay, before schedules and background work drain and before every other component,
   * so that what its last requests hand to `Background.after()` is still accepted and drained. A `GracefulHttpServer`
   * is one without saying so.
   *
   * @default false, or true for a subclass of a class marked as ingress (GracefulHttpServer)
   * @example
   * ```ts
   * @Component({ ingress: true }) // stops taking messages before background work drains
   * class OrdersConsumer { ... }
   * ```
   */
  ingress?: boolean;
}

/** Options of {@link HealthCheck}. */
export interface HealthCheckOptions {
  /**
   * Deadline of one probe. A probe past it counts as down and its signal is aborted.
   *
   * @default '5s'
   */
  timeout?: Duration;
}

/**
 * What a `@OnStart` or `@OnStop` method looks like: it may read the AbortSignal it is given, or take no parameter.
 * What it returns is awaited and otherwise ignored, so `return this.pool.end()` is fine; an `@OnStop` may resolve with
 * `stopDetails({ ... })` to put figures of its stop in the stop report.
 */
export type LifecycleHookMethod = (signal: AbortSignal) => unknown;

/** What a `@HealthCheck` method looks like: it may read the signal aborted at its timeout, and answers a status. */
export type HealthCheckMethod = (signal: AbortSignal) => HealthResult | Promise<HealthResult>;

/**
 * A method decorator that compiles only on a method of shape `M`, so that a hook Ordo could not call as declared
 * (a `@HealthCheck` returning `true`, an `@OnStart` wanting a string) is a type error rather than a failure at
 * run time.
 */
export type HookDecorator<M> = <T extends M>(
  target: object,
  method: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
) => void;

/** The roles a method can play in a component's life. */
export type HookRole = 'start' | 'stop' | 'health';

/** What the decorators recorded on one class (not including its base classes). */
interface OwnMetadata {
  component?: ComponentOptions;
  /** Set by {@link markIngress}: components extending this class are ingress unless their options say otherwise. */
  ingress?: boolean;
  hooks: Map<HookRole, string | symbol>;
  healthOptions?: HealthCheckOptions;
  /** Misuse found while decorating, reported by `Ordo.create()` so that importing a module never throws. */
  problems: Array<{ code: OrdoErrorCode; message: string }>;
}

/** Everything a component declares, merged along its class hierarchy. */
export interface ComponentDefinition {
  /** The class the definition was read from. */
  readonly type: AnyClass;
  /** Its `@Component` options, from the nearest class that has them. */
  readonly options: ComponentOptions;
  /** The method playing each role, after overrides. */
  readonly hooks: ReadonlyMap<HookRole, string | symbol>;
  /** Options of its `@HealthCheck`, if it has one. */
  readonly healthOptions: HealthCheckOptions;
  /** Whether it stops before the runtimes and every other component (see {@link ComponentOptions.ingress}). */
  readonly ingress: boolean;
  /** Misuse found while decorating; `Ordo.create()` throws the first. */
  readonly problems: ReadonlyArray<{ code: OrdoErrorCode; message: string }>;
}

/** Any class, abstract or not. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyClass = abstract new (...args: any[]) => unknown;

const metadataByClass = new WeakMap<object, OwnMetadata>();

function own(type: object): OwnMetadata {
  let metadata = metadataByClass.get(type);
  if (!metadata) {
    metadata = { hooks: new Map(), problems: [] };
    metadataByClass.set(type, metadata);
  }
  return metadata;
}

const HOOK_DECORATOR: Record<HookRole, string> = { start: '@OnStart', stop: '@OnStop', health: '@HealthCheck' };

/**
 * Marks a class as a component: a singleton Ordo starts after its dependencies and stops before them.
 * Implies inversify's `@injectable()`, and injection from the base class for subclasses.
 *
 * @example
 * ```ts
 * @Component({ startTimeout: '10s' })
 * class Database {
 *   @OnStart() async connect(signal: AbortSignal) { await this.pool.connect({ signal }); }
 *   @OnStop() async close() { await this.pool.end(); }
 * }
 * ```
 */
export function Component(options: ComponentOptions = {}): ClassDecorator {
  return (target) => {
    injectable()(target);
    if (hasBaseClass(target)) injectFromBase({ extendConstructorArguments: true, extendProperties: true })(target);
    own(target).component = { ...options };
  };
}

function hookDecorator<M>(role: HookRole, record?: (metadata: OwnMetadata) => void): HookDecorator<M> {
  return (prototype, method, descriptor) => {
    if (typeof prototype === 'function') {
      // A static method: the decorator gets the class itself. An instance's hook cannot be a static method.
      own(prototype).problems.push({
        code: 'ORDO_HOOK_ON_STATIC',
        message: `${HOOK_DECORATOR[role]}() on static ${prototype.name}.${String(method)}: hooks are instance methods`,
      });
      return;
    }
    const type = (prototype as { constructor: object }).constructor;
    const metadata = own(type);
    const where = `${(type as { name?: string }).name ?? 'anonymous class'}.${String(method)}`;
    if (typeof descriptor?.value !== 'function') {
      metadata.problems.push({
        code: 'ORDO_HOOK_NOT_A_METHOD',
        message: `${HOOK_DECORATOR[role]}() on ${where}: it is not a method`,
      });
      return;
    }
    const existing = metadata.hooks.get(role);
    if (existing !== undefined && existing !== method) {
      metadata.problems.push({
        code: 'ORDO_DUPLICATE_HOOK',
        message: `${where} and ${(type as { name?: string }).name}.${String(existing)} are both ${HOOK_DECORATOR[role]}(); a class has at most one`,
      });
      return;
    }
    metadata.hooks.set(role, method);
    record?.(metadata);
  };
}

/** Runs the method when the app starts, after the component's dependencies started. It gets an AbortSignal. */
export function OnStart(): HookDecorator<LifecycleHookMethod> {
  return hookDecorator('start');
}

/** Runs the method when the app stops, before the component's dependencies stop. It gets an AbortSignal. */
export function OnStop(): HookDecorator<LifecycleHookMethod> {
  return hookDecorator('stop');
}

/** Makes the method a readiness probe returning `'up' | 'degraded' | 'down'` (or `{ status, details }`). */
export function HealthCheck(options: HealthCheckOptions = {}): HookDecorator<HealthCheckMethod> {
  return hookDecorator('health', (metadata) => {
    metadata.healthOptions = { ...options };
  });
}

/**
 * Marks a base class whose components take work from outside the app: a component extending it is ingress (see
 * {@link ComponentOptions.ingress}) unless its own options say otherwise.
 */
export function markIngress(type: AnyClass): void {
  own(type).ingress = true;
}

/** True when `type` (or a base class) is marked with {@link Component}. */
export function isComponent(type: unknown): type is AnyClass {
  return typeof type === 'function' && componentOptionsOf(type) !== undefined;
}

/** True when `type` itself, not only a base class, is marked with {@link Component}. */
export function isMarkedComponent(type: AnyClass): boolean {
  return metadataByClass.get(type)?.component !== undefined;
}

/**
 * What decorators recorded on `type` and its bases that only a component may carry: hooks, and misuse found
 * while decorating. Discovery reports a plain class bound with these, since nothing would ever run its hooks.
 */
export function componentTraitsOf(type: AnyClass): {
  hooks: string[];
  problems: Array<{ code: OrdoErrorCode; message: string }>;
} {
  const hooks: string[] = [];
  const problems: Array<{ code: OrdoErrorCode; message: string }> = [];
  for (const level of hierarchy(type)) {
    const metadata = metadataByClass.get(level);
    if (!metadata) continue;
    problems.push(...metadata.problems);
    for (const [role, method] of metadata.hooks)
      hooks.push(`${HOOK_DECORATOR[role]}() ${(level as AnyClass).name}.${String(method)}`);
  }
  return { hooks, problems };
}

function componentOptionsOf(type: object): ComponentOptions | undefined {
  for (let level: object | null = type; level && level !== Function.prototype; level = Object.getPrototypeOf(level)) {
    const options = metadataByClass.get(level)?.component;
    if (options) return options;
  }
  return undefined;
}

/**
 * Reads a component's declaration, merged from the class up through its bases: a role declared lower in the
 * hierarchy replaces the same role declared above it, and a method decorated lower in the hierarchy drops the
 * roles its name had above (an override marked `@OnStop` is not also the base's `@OnStart`).
 */
export function readComponent(type: AnyClass): ComponentDefinition | undefined {
  const options = componentOptionsOf(type);
  if (!options) return undefined;
  const hooks = new Map<HookRole, string | symbol>();
  let healthOptions: HealthCheckOptions | undefined;
  const problems: Array<{ code: OrdoErrorCode; message: string }> = [];
  const levels = hierarchy(type);
  let ingress = options.ingress;
  // What the levels below the one being read claimed; only a class with a base class has levels below another.
  const claimedBelow = levels.length > 1 ? new Set<string | symbol>() : undefined;
  for (let index = 0; index < levels.length; index++) {
    const metadata = metadataByClass.get(levels[index]!);
    if (!metadata) continue;
    ingress ??= metadata.ingress;
    if (metadata.problems.length > 0) problems.push(...metadata.problems);
    metadata.hooks.forEach((method, role) => {
      if (hooks.has(role) || claimedBelow?.has(method)) return;
      hooks.set(role, method);
      if (role === 'health') healthOptions = metadata.healthOptions;
    });
    if (claimedBelow) for (const method of metadata.hooks.values()) claimedBelow.add(method);
  }
  return { type, options, hooks, healthOptions: healthOptions ?? {}, ingress: ingress === true, problems };
}

/**
 * Checks the options of a component's `@Component` and `@HealthCheck` so that a value that cannot work fails
 * `Ordo.create()`, naming the class and the option, instead of failing `start()` or every probe later.
 *
 * @throws ConfigurationError `ORDO_INVALID_OPTION`.
 */
export function checkComponentOptions(definition: ComponentDefinition): void {
  const { type, options, hooks, healthOptions } = definition;
  const invalid = (option: string, what: string): ConfigurationError =>
    new ConfigurationError('ORDO_INVALID_OPTION', `@Component({ ${option} }) of class ${type.name}: ${what}`);
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    throw invalid('name', `expected a non-empty string, got ${describeValue(options.name)}`);
  }
  const dependsOn: unknown = options.dependsOn;
  if (dependsOn !== undefined && !Array.isArray(dependsOn)) {
    const example =
      typeof dependsOn === 'string' ? `dependsOn: [${JSON.stringify(dependsOn)}]` : 'dependsOn: [Database]';
    throw invalid(
      'dependsOn',
      `expected an array of component classes or names, got ${describeValue(dependsOn)}; write ${example}`,
    );
  }
  (dependsOn as unknown[] | undefined)?.forEach((entry, index) => {
    if (entry === undefined) {
      throw invalid(
        'dependsOn',
        `dependsOn[${index}] is undefined, ${CIRCULAR_IMPORT_HINT}; break the import cycle or name the component: dependsOn: ['Database']`,
      );
    }
    if ((typeof entry !== 'string' || entry === '') && typeof entry !== 'function') {
      throw invalid(
        'dependsOn',
        `dependsOn[${index}] is ${describeValue(entry)}; expected a component class or a component's name`,
      );
    }
  });
  if (options.ingress !== undefined && typeof options.ingress !== 'boolean') {
    throw invalid('ingress', `expected true or false, got ${describeValue(options.ingress)}`);
  }
  durationOption(options.startTimeout, `@Component({ startTimeout }) of class ${type.name}`);
  durationOption(options.stopTimeout, `@Component({ stopTimeout }) of class ${type.name}`);
  const health = hooks.get('health');
  if (health !== undefined)
    durationOption(healthOptions.timeout, `@HealthCheck({ timeout }) of ${type.name}.${String(health)}`);
}

/**
 * `type` and its base classes, nearest first. An array walked by index, not a generator: discovery reads every
 * bound class once per boot, in code that has not been optimised yet, where each step of an iterator allocates.
 */
function hierarchy(type: object): object[] {
  const levels: object[] = [];
  for (let level: object | null = type; level && level !== Function.prototype; level = Object.getPrototypeOf(level)) {
    levels.push(level);
  }
  return levels;
}

function hasBaseClass(type: object): boolean {
  const base = Object.getPrototypeOf(type) as object | null;
  return base !== null && base !== Function.prototype;
}
