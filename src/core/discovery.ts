import { getClassMetadata, type Binding, type ClassElementMetadata } from '@inversifyjs/core';
import { LazyServiceIdentifier, type Container, type ServiceIdentifier } from 'inversify';
import { bindingReaderOf, type BindingReader } from './binding-reader.js';
import { describeIdentifier } from './class-name.js';
import { readComponent, type AnyClass, type ComponentDefinition } from './component-metadata.js';
import { ConfigurationError } from './errors.js';

/** A component found in the container, with the components it must start after. */
export interface DiscoveredComponent {
  /** Unique name within the app. */
  readonly name: string;
  /** The identifier to resolve it by. */
  readonly id: ServiceIdentifier;
  readonly definition: ComponentDefinition;
  /** Components this one depends on, directly or through services, or by `dependsOn`. */
  readonly dependencies: ReadonlySet<DiscoveredComponent>;
}

/** Discovery's result: the components, grouped in waves that can start concurrently, dependencies first. */
export interface ComponentGraph {
  readonly components: readonly DiscoveredComponent[];
  readonly waves: readonly (readonly DiscoveredComponent[])[];
}

/** Extra knowledge of bindings the container cannot show, such as what a factory provider injects. */
export interface DiscoveryHints {
  readonly factoryDependencies?: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>;
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
    const name = entry.definition.options.name ?? entry.definition.type.name;
    const clash = nodes.get(name);
    if (clash) {
      throw new ConfigurationError(
        'ORDO_DUPLICATE_COMPONENT_NAME',
        `Two components are named "${name}": ${describeIdentifier(clash.id)} and ${describeIdentifier(entry.id)}; give one a name with @Component({ name })`,
      );
    }
    nodes.set(name, { name, id: entry.id, definition: entry.definition, dependencies: new Set() });
  }
  const byType = new Map<AnyClass, DiscoveredComponent>();
  for (const node of nodes.values()) byType.set(node.definition.type, node);

  const walker = new DependencyWalker(reader, bindingsById, byType, hints.factoryDependencies ?? new Map());
  for (const node of nodes.values()) {
    walker.collect(node.definition.type, node.dependencies);
    for (const wanted of node.definition.options.dependsOn ?? []) {
      const dependency = typeof wanted === 'string' ? nodes.get(wanted) : byType.get(wanted);
      if (!dependency) {
        throw new ConfigurationError(
          'ORDO_UNKNOWN_DEPENDENCY',
          `Component "${node.name}" dependsOn ${typeof wanted === 'string' ? `"${wanted}"` : wanted.name}, which is not a component bound in the container`,
        );
      }
      node.dependencies.add(dependency);
    }
    node.dependencies.delete(node);
  }

  const components = [...nodes.values()];
  return { components, waves: wavesOf(components) };
}

/** A component while discovery still adds to its dependencies. */
interface ComponentNode extends DiscoveredComponent {
  readonly dependencies: Set<DiscoveredComponent>;
}

/**
 * Every component binding, in the order the container lists them. Fills `bindingsById` with the bindings of every
 * bound identifier, which the dependency walk reads again.
 */
function findComponentBindings(
  reader: BindingReader,
  bindingsById: Map<ServiceIdentifier, Binding[]>,
): Array<{ id: ServiceIdentifier; definition: ComponentDefinition }> {
  const found: Array<{ id: ServiceIdentifier; definition: ComponentDefinition }> = [];
  for (const id of reader.boundServices()) {
    const bindings = reader.bindingsOf(id);
    bindingsById.set(id, bindings);
    for (const binding of bindings) {
      const type = implementationOf(binding);
      const definition = type && readComponent(type);
      if (!definition) continue;
      if (binding.type === 'Instance' && binding.scope !== 'Singleton') {
        throw new ConfigurationError(
          'ORDO_COMPONENT_NOT_SINGLETON',
          `Component ${definition.type.name} is bound to ${describeIdentifier(id)} in ${binding.scope} scope; a component is one instance per app: use .inSingletonScope() or new Container({ defaultScope: 'Singleton' })`,
        );
      }
      found.push({ id, definition });
    }
  }
  return found;
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
 * Follows injected dependencies through plain services until it reaches components. One walker serves every
 * component of a discovery: what a walk has seen is marked with the walk's number, so nothing is allocated per
 * walk, and the message of an error is only written when one is thrown.
 */
class DependencyWalker {
  readonly #seenIds = new Map<ServiceIdentifier, number>();
  readonly #seenTypes = new Map<AnyClass, number>();
  #walk = 0;
  #root!: AnyClass;
  #into!: Set<DiscoveredComponent>;

  constructor(
    private readonly reader: BindingReader,
    private readonly bindingsById: ReadonlyMap<ServiceIdentifier, Binding[]>,
    private readonly components: ReadonlyMap<AnyClass, DiscoveredComponent>,
    private readonly factoryDependencies: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>,
  ) {}

  /** Adds to `into` the components `root` needs, in the order they are first reached. */
  collect(root: AnyClass, into: Set<DiscoveredComponent>): void {
    this.#walk++;
    this.#root = root;
    this.#into = into;
    this.#visitType(root);
  }

  #visitId(id: ServiceIdentifier, owner: ServiceIdentifier, site: InjectionSite, optional: boolean): void {
    const root = this.#root;
    if (this.#seenIds.get(id) === this.#walk) return;
    this.#seenIds.set(id, this.#walk);
    const bindings = this.bindingsById.get(id) ?? this.reader.bindingsOf(id);
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
      const component = this.components.get(type);
      if (component && type !== root) {
        this.#into.add(component);
      } else if (binding.type === 'Instance') {
        this.#visitType(type);
      }
    }
  }

  #visitType(type: AnyClass): void {
    // The root may be reached again through a service; walking it again finds nothing new but is harmless.
    if (type !== this.#root && this.#seenTypes.get(type) === this.#walk) return;
    this.#seenTypes.set(type, this.#walk);
    const { constructorArguments, properties } = classMetadataOf(type);
    constructorArguments.forEach((element, index) => {
      if ('value' in element) this.#visitInjection(element, type, index);
    });
    for (const [property, element] of properties) {
      if ('value' in element) this.#visitInjection(element, type, property);
    }
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
