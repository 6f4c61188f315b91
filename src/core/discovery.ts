import { getClassMetadata, type Binding, type ClassElementMetadata } from '@inversifyjs/core';
import { LazyServiceIdentifier, type Container, type ServiceIdentifier } from 'inversify';
import { bindingReaderOf, type BindingReader } from './binding-reader.js';
import { describeIdentifier } from './class-name.js';
import {
  checkComponentOptions,
  componentTraitsOf,
  isComponent,
  isMarkedComponent,
  readComponent,
  type AnyClass,
  type ComponentDefinition,
} from './component-metadata.js';
import { ConfigurationError } from './errors.js';

/** A component found in the container, with the components it must start after. */
export interface DiscoveredComponent {
  /** Unique name within the app. */
  readonly name: string;
  /** The identifier to resolve it by. */
  readonly id: ServiceIdentifier;
  /** What its class declares. */
  readonly definition: ComponentDefinition;
  /** Components this one depends on, directly or through services, or by `dependsOn`. */
  readonly dependencies: ReadonlySet<DiscoveredComponent>;
}

/** Discovery's result: the components, grouped in waves that can start concurrently, dependencies first. */
export interface ComponentGraph {
  /** Every component, in the order the container lists them. */
  readonly components: readonly DiscoveredComponent[];
  /** The components grouped in start order: each wave depends only on earlier ones. */
  readonly waves: readonly (readonly DiscoveredComponent[])[];
}

/** Extra knowledge of bindings the container cannot show, such as what a factory provider injects. */
export interface DiscoveryHints {
  /** The identifiers a `useFactory` provider declared it injects, keyed by the provided identifier. */
  readonly factoryDependencies?: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>;
  /**
   * Identifiers that only exist inside a request (the request's `TaskScope`), each with what to do instead of
   * holding it in a singleton: a singleton built in one request would keep that request's value for every later one.
   */
  readonly requestOnly?: ReadonlyMap<ServiceIdentifier, RequestOnlyHint>;
}

/** Why an identifier cannot be held by a singleton, and what to do instead, for the error that says so. */
export interface RequestOnlyHint {
  /** What it is, after its name: `a request's scope`. */
  readonly what: string;
  /** What a singleton should do instead: `call currentTaskScope() inside the method that needs it`. */
  readonly instead: string;
}

/**
 * Finds every `@Component` bound in `container` and orders them by their dependency graph. Resolves nothing.
 *
 * @throws ConfigurationError for misuse of the decorators, duplicate names, unknown or unbound dependencies,
 * and cycles among components.
 */
export function discoverComponents(container: Container, hints: DiscoveryHints = {}): ComponentGraph {
  const reader = bindingReaderOf(container);
  const bindingsById = new Map<ServiceIdentifier, Binding[]>();
  const found = findComponentBindings(reader, bindingsById);
  const nodes = new Map<string, ComponentNode>();
  for (const entry of found) {
    const problem = entry.definition.problems[0];
    if (problem) throw new ConfigurationError(problem.code, problem.message);
    checkComponentOptions(entry.definition);
    const name = entry.definition.options.name ?? entry.definition.type.name;
    const clash = nodes.get(name);
    if (clash) {
      throw new ConfigurationError(
        'ORDO_DUPLICATE_COMPONENT_NAME',
        `Two components are named "${name}": ${describeIdentifier(clash.id)} and ${describeIdentifier(entry.id)}; give one a name with @Component({ name })`,
      );
    }
    nodes.set(name, { name, id: entry.id, definition: entry.definition, viaFactory: entry.viaFactory, dependencies: new Set() });
  }
  const byType = new Map<AnyClass, DiscoveredComponent>();
  for (const node of nodes.values()) byType.set(node.definition.type, node);
  if (hints.requestOnly?.size) {
    rejectRequestOnlyInSingletons(reader, bindingsById, byType, hints.requestOnly, hints.factoryDependencies ?? new Map());
  }

  const walker = new DependencyWalker(reader, bindingsById, byType, hints.factoryDependencies ?? new Map());
  for (const node of nodes.values()) {
    walker.collect(node, node.dependencies);
    for (const wanted of node.definition.options.dependsOn ?? []) {
      const dependency = typeof wanted === 'string' ? nodes.get(wanted) : byType.get(wanted);
      if (!dependency) {
        throw new ConfigurationError(
          'ORDO_UNKNOWN_DEPENDENCY',
          `Component "${node.name}" dependsOn ${typeof wanted === 'string' ? `"${wanted}"` : wanted.name}, which is not a component bound in the container`,
        );
      }
      if (dependency === node) {
        throw new ConfigurationError('ORDO_DEPENDENCY_CYCLE', `Component "${node.name}" dependsOn itself`);
      }
      node.dependencies.add(dependency);
    }
  }

  const components = [...nodes.values()];
  return { components, waves: wavesOf(components) };
}

/** A component while discovery still adds to its dependencies. */
interface ComponentNode extends DiscoveredComponent {
  readonly dependencies: Set<DiscoveredComponent>;
  /** Made by a factory: its dependencies are what the factory declared it injects, not its constructor's. */
  readonly viaFactory: boolean;
}

/** A binding that produces a component. */
interface ComponentBinding {
  readonly id: ServiceIdentifier;
  readonly definition: ComponentDefinition;
  readonly viaFactory: boolean;
}

/**
 * Every component binding, in the order the container lists them. Fills `bindingsById` with the bindings of every
 * bound identifier, which the dependency walk reads again.
 */
function findComponentBindings(reader: BindingReader, bindingsById: Map<ServiceIdentifier, Binding[]>): ComponentBinding[] {
  const found: ComponentBinding[] = [];
  const boundAt = new Map<AnyClass, ServiceIdentifier>();
  for (const id of reader.boundServices()) {
    const bindings = reader.bindingsOf(id);
    bindingsById.set(id, bindings);
    for (const binding of bindings) {
      const viaFactory = isFactoryBinding(binding) && isComponent(id);
      const type = viaFactory ? (id as AnyClass) : implementationOf(binding);
      if (!type) continue;
      const definition = readComponent(type);
      if (!definition) {
        rejectHooksWithoutComponent(type, id);
        continue;
      }
      if (binding.type === 'Instance' && !isMarkedComponent(type)) {
        const base = Object.getPrototypeOf(type) as AnyClass;
        throw new ConfigurationError(
          'ORDO_SUBCLASS_NOT_COMPONENT',
          `${type.name} extends the component ${base.name} but is not marked @Component() itself, so inversify would build it without ${base.name}'s constructor dependencies and Ordo could not order its start: mark ${type.name} with @Component()`,
        );
      }
      if ((binding.type === 'Instance' || binding.type === 'DynamicValue') && binding.scope !== 'Singleton') {
        throw new ConfigurationError(
          'ORDO_COMPONENT_NOT_SINGLETON',
          `Component ${definition.type.name} is bound to ${describeIdentifier(id)} in ${binding.scope} scope; a component is one instance per app: use .inSingletonScope() or new Container({ defaultScope: 'Singleton' })`,
        );
      }
      const earlier = boundAt.get(type);
      if (earlier !== undefined) {
        throw new ConfigurationError(
          'ORDO_COMPONENT_BOUND_TWICE',
          `Component ${type.name} is bound twice (to ${describeIdentifier(earlier)} and to ${describeIdentifier(id)}), which would make two instances; bind it once, and use .toService() for another identifier`,
        );
      }
      boundAt.set(type, id);
      found.push({ id, definition, viaFactory });
    }
  }
  return found;
}

/** A plain class with hooks is a mistake: nothing would ever run them. */
function rejectHooksWithoutComponent(type: AnyClass, id: ServiceIdentifier): void {
  const { hooks, problems } = componentTraitsOf(type);
  if (hooks.length === 0 && problems.length === 0) return;
  const what = hooks.length > 0 ? hooks.join(', ') : problems[0]!.message;
  throw new ConfigurationError(
    'ORDO_HOOKS_WITHOUT_COMPONENT',
    `${type.name} is bound to ${describeIdentifier(id)} and has ${what}, but it is not marked @Component(), so nothing would run its hooks: mark it with @Component()`,
  );
}

/** Bindings whose instance a function makes, so that only the identifier tells what class it is. */
function isFactoryBinding(binding: Binding): boolean {
  return binding.type === 'DynamicValue' || binding.type === 'ResolvedValue';
}

function implementationOf(binding: Binding): AnyClass | undefined {
  if (binding.type === 'Instance') return binding.implementationType as AnyClass;
  if (binding.type === 'ConstantValue') {
    const value = binding.value as unknown;
    if (value !== null && typeof value === 'object') return (value as object).constructor as AnyClass;
  }
  return undefined;
}

/** Marks an identifier reached through a factory provider's declared injections rather than a class member. */
const THROUGH_FACTORY = Symbol('through the factory');

/** Where an injection was declared, for error messages: a constructor argument index, a property, or a factory. */
type InjectionSite = number | string | symbol;

function describeSite(owner: ServiceIdentifier, site: InjectionSite): string {
  if (site === THROUGH_FACTORY) return `through the factory of ${describeIdentifier(owner)}`;
  const name = (owner as AnyClass).name;
  return typeof site === 'number' ? `constructor argument ${site} of ${name}` : `property ${String(site)} of ${name}`;
}

/**
 * Rejects a singleton that injects a request-only identifier, directly or through the transient and request-scoped
 * services it is built with: built once, inside one request or outside any, it would keep that value for good.
 * A singleton it injects is checked as a holder of its own, so each walk stops at the next singleton.
 *
 * @throws ConfigurationError `ORDO_REQUEST_SCOPE_IN_SINGLETON` naming the singleton, the identifier and where it
 * is injected.
 */
function rejectRequestOnlyInSingletons(
  reader: BindingReader,
  bindingsById: ReadonlyMap<ServiceIdentifier, Binding[]>,
  components: ReadonlyMap<AnyClass, DiscoveredComponent>,
  requestOnly: ReadonlyMap<ServiceIdentifier, RequestOnlyHint>,
  factoryDependencies: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>,
): void {
  // One set of closures and sets for every holder: most apps have many singletons and few request-only injections.
  let holder: ServiceIdentifier = '';
  const seenIds = new Set<ServiceIdentifier>();
  const seenTypes = new Set<AnyClass>();
  const via: AnyClass[] = [];
  const visitId = (injected: ServiceIdentifier, owner: ServiceIdentifier, site: InjectionSite): void => {
    const hint = requestOnly.get(injected);
    if (hint) throw requestOnlyInSingleton(holder, components, injected, hint, owner, site, via);
    if (seenIds.has(injected)) return;
    seenIds.add(injected);
    for (const target of bindingsById.get(injected) ?? reader.bindingsOf(injected)) {
      if (target.type === 'ServiceRedirection') visitId(target.targetServiceIdentifier, owner, site);
      else if (target.type === 'Instance' && target.scope !== 'Singleton') visitType(target.implementationType as AnyClass);
      else if (target.type === 'DynamicValue' && target.scope !== 'Singleton') visitFactory(injected);
    }
  };
  const visitFactory = (made: ServiceIdentifier): void => {
    for (const injected of factoryDependencies.get(made) ?? []) visitId(injected, made, THROUGH_FACTORY);
  };
  const visitType = (type: AnyClass): void => {
    if (seenTypes.has(type)) return;
    seenTypes.add(type);
    if (type !== holder) via.push(type);
    const metadata = readableClassMetadataOf(type);
    metadata?.constructorArguments.forEach((element, index) => {
      if ('value' in element) visitId(identifierOf(element.value as ServiceIdentifier | LazyServiceIdentifier), type, index);
    });
    for (const [property, element] of metadata?.properties ?? []) {
      if ('value' in element) visitId(identifierOf(element.value as ServiceIdentifier | LazyServiceIdentifier), type, property);
    }
    if (type !== holder) via.pop();
  };

  for (const [id, bindings] of bindingsById) {
    for (const binding of bindings) {
      if ((binding.type !== 'Instance' && binding.type !== 'DynamicValue') || binding.scope !== 'Singleton') continue;
      seenIds.clear();
      seenTypes.clear();
      if (binding.type === 'Instance') {
        holder = binding.implementationType as AnyClass;
        visitType(holder as AnyClass);
      } else {
        holder = id;
        visitFactory(id);
      }
    }
  }
}

function requestOnlyInSingleton(
  holder: ServiceIdentifier,
  components: ReadonlyMap<AnyClass, DiscoveredComponent>,
  injected: ServiceIdentifier,
  hint: RequestOnlyHint,
  owner: ServiceIdentifier,
  site: InjectionSite,
  via: readonly AnyClass[],
): ConfigurationError {
  const component = typeof holder === 'function' ? components.get(holder as AnyClass) : undefined;
  const name = describeIdentifier(holder);
  const through = via.length > 0 ? ` through ${via.map((type) => type.name).join(' -> ')}` : '';
  const fix = component ? hint.instead : `${hint.instead}, or bind ${name} in request or transient scope`;
  return new ConfigurationError(
    'ORDO_REQUEST_SCOPE_IN_SINGLETON',
    `${component ? `Component "${component.name}"` : name} is a singleton and injects ${describeIdentifier(injected)}${through} ` +
      `(${describeSite(owner, site)}), ${hint.what}; a ${component ? 'component' : 'singleton'} outlives every request: ${fix}`,
  );
}

/** A class's injection metadata, or undefined when inversify cannot read it (the component walk reports that). */
function readableClassMetadataOf(type: AnyClass): ReturnType<typeof getClassMetadata> | undefined {
  try {
    return getClassMetadata(type as never);
  } catch {
    return undefined;
  }
}

/**
 * Follows injected dependencies through plain services until it reaches components. One walker serves every
 * component of a discovery: what a walk has seen is marked with the walk's number, so nothing is allocated per
 * walk, and the message of an error is only written when one is thrown.
 */
class DependencyWalker {
  readonly #seenIds = new Map<ServiceIdentifier, number>();
  readonly #seenTypes = new Map<AnyClass, number>();
  /** The classes the walk is inside of, root first, to name a cycle. */
  readonly #path: AnyClass[] = [];
  #walk = 0;
  #root!: AnyClass;
  #into!: Set<DiscoveredComponent>;

  constructor(
    private readonly reader: BindingReader,
    private readonly bindingsById: ReadonlyMap<ServiceIdentifier, Binding[]>,
    private readonly components: ReadonlyMap<AnyClass, DiscoveredComponent>,
    private readonly factoryDependencies: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>,
  ) {}

  /**
   * Adds to `into` the components `node` needs, in the order they are first reached: through its constructor and
   * properties, or through what its factory declared it injects.
   *
   * @throws ConfigurationError when the walk comes back to a class it is inside of: inversify cannot build that.
   */
  collect(node: ComponentNode, into: Set<DiscoveredComponent>): void {
    const root = node.definition.type;
    this.#walk++;
    this.#root = root;
    this.#into = into;
    if (!node.viaFactory) {
      this.#visitType(root);
      return;
    }
    this.#path.push(root);
    for (const injected of this.factoryDependencies.get(node.id) ?? []) this.#visitId(injected, node.id, THROUGH_FACTORY, false);
    this.#path.pop();
  }

  #visitId(id: ServiceIdentifier, owner: ServiceIdentifier, site: InjectionSite, optional: boolean): void {
    const root = this.#root;
    const bindings = this.bindingsById.get(id) ?? this.reader.bindingsOf(id);
    if (this.#seenIds.get(id) === this.#walk) {
      // Seen in this walk: either done (nothing new) or still being walked, which is a cycle.
      for (const binding of bindings) {
        const type = implementationOf(binding);
        if (type && this.#path.includes(type)) this.#throwCycle(type);
      }
      return;
    }
    this.#seenIds.set(id, this.#walk);
    if (bindings.length === 0) {
      if (optional) return;
      throw new ConfigurationError(
        'ORDO_UNBOUND_DEPENDENCY',
        `Component "${this.components.get(root)?.name ?? root.name}" needs ${describeIdentifier(id)} (${describeSite(owner, site)}), which is not bound in the container`,
      );
    }
    for (const binding of bindings) {
      if (binding.type === 'ServiceRedirection') {
        this.#visitId(binding.targetServiceIdentifier, owner, site, optional);
        continue;
      }
      if (binding.type === 'DynamicValue') {
        for (const injected of this.factoryDependencies.get(id) ?? []) this.#visitId(injected, id, THROUGH_FACTORY, false);
        continue;
      }
      const type = implementationOf(binding);
      if (!type) continue;
      if (type === root) this.#throwCycle(type);
      const component = this.components.get(type);
      if (component) {
        this.#into.add(component);
      } else if (binding.type === 'Instance') {
        this.#visitType(type);
      }
    }
  }

  #visitType(type: AnyClass): void {
    if (this.#path.includes(type)) this.#throwCycle(type);
    if (this.#seenTypes.get(type) === this.#walk) return;
    this.#seenTypes.set(type, this.#walk);
    this.#path.push(type);
    const { constructorArguments, properties } = classMetadataOf(type);
    constructorArguments.forEach((element, index) => {
      if ('value' in element) this.#visitInjection(element, type, index);
    });
    for (const [property, element] of properties) {
      if ('value' in element) this.#visitInjection(element, type, property);
    }
    this.#path.pop();
  }

  #throwCycle(back: AnyClass): never {
    const from = this.#path.indexOf(back);
    const names = [...this.#path.slice(from), back].map((type) => this.components.get(type)?.name ?? type.name);
    this.#path.length = 0;
    throw new ConfigurationError('ORDO_DEPENDENCY_CYCLE', `Classes inject each other in a cycle: ${names.join(' -> ')}`);
  }

  #visitInjection(element: ClassElementMetadata, owner: AnyClass, site: InjectionSite): void {
    const { value, optional } = element as ClassElementMetadata & { value: ServiceIdentifier | LazyServiceIdentifier; optional: boolean };
    this.#visitId(identifierOf(value), owner, site, optional);
  }
}

function classMetadataOf(type: AnyClass): ReturnType<typeof getClassMetadata> {
  try {
    return getClassMetadata(type as never);
  } catch (cause) {
    throw new ConfigurationError(
      'ORDO_INVALID_INJECTION',
      `${type.name} cannot be injected: ${(cause as Error).message}`,
      { cause },
    );
  }
}

function identifierOf(value: ServiceIdentifier | LazyServiceIdentifier): ServiceIdentifier {
  return LazyServiceIdentifier.is(value) ? value.unwrap() : value;
}

/**
 * Groups components in waves: each wave holds those whose dependencies are all in earlier waves.
 *
 * A depth-first walk with its own stack rather than recursion, so a chain of many thousands of components cannot
 * overflow the call stack. It throws on the first cycle it meets, naming it from where the walk entered it.
 */
function wavesOf(components: readonly DiscoveredComponent[]): DiscoveredComponent[][] {
  const level = new Map<DiscoveredComponent, number>();
  const onPath = new Set<DiscoveredComponent>();
  const path: DiscoveredComponent[] = [];
  const pending: Array<Iterator<DiscoveredComponent>> = [];
  const enter = (node: DiscoveredComponent): void => {
    onPath.add(node);
    path.push(node);
    pending.push(node.dependencies.values());
  };

  for (const component of components) {
    if (level.has(component)) continue;
    enter(component);
    while (path.length > 0) {
      const next = pending[pending.length - 1]!.next();
      if (!next.done) {
        const dependency = next.value;
        if (level.has(dependency)) continue;
        if (onPath.has(dependency)) {
          const cycle = [...path.slice(path.indexOf(dependency)), dependency].map((c) => c.name).join(' -> ');
          throw new ConfigurationError('ORDO_DEPENDENCY_CYCLE', `Components depend on each other in a cycle: ${cycle}`);
        }
        enter(dependency);
        continue;
      }
      const node = path.pop()!;
      pending.pop();
      onPath.delete(node);
      let known = 0;
      for (const dependency of node.dependencies) known = Math.max(known, level.get(dependency)! + 1);
      level.set(node, known);
    }
  }

  const waves: DiscoveredComponent[][] = [];
  for (const component of components) (waves[level.get(component)!] ??= []).push(component);
  return waves;
}
