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
  const found = findComponentBindings(reader);
  const byName = new Map<string, { id: ServiceIdentifier; definition: ComponentDefinition }>();
  for (const entry of found) {
    const problem = entry.definition.problems[0];
    if (problem) throw new ConfigurationError(problem.code, problem.message);
    const name = entry.definition.options.name ?? entry.definition.type.name;
    const clash = byName.get(name);
    if (clash) {
      throw new ConfigurationError(
        'ORDO_DUPLICATE_COMPONENT_NAME',
        `Two components are named "${name}": ${describeIdentifier(clash.id)} and ${describeIdentifier(entry.id)}; give one a name with @Component({ name })`,
      );
    }
    byName.set(name, entry);
  }

  const nodes = new Map<string, { name: string; id: ServiceIdentifier; definition: ComponentDefinition; dependencies: Set<DiscoveredComponent> }>();
  for (const [name, entry] of byName) nodes.set(name, { name, ...entry, dependencies: new Set() });
  const byType = new Map<AnyClass, DiscoveredComponent>();
  for (const node of nodes.values()) byType.set(node.definition.type, node);

  const walker = new DependencyWalker(reader, byType, hints.factoryDependencies ?? new Map());
  for (const node of nodes.values()) {
    for (const dependency of walker.componentsNeededBy(node.definition.type)) node.dependencies.add(dependency);
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
  throwOnCycle(components);
  return { components, waves: wavesOf(components) };
}

function findComponentBindings(reader: BindingReader): Array<{ id: ServiceIdentifier; definition: ComponentDefinition }> {
  const found: Array<{ id: ServiceIdentifier; definition: ComponentDefinition }> = [];
  for (const id of reader.boundServices()) {
    for (const binding of reader.bindingsOf(id)) {
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

/** Follows injected dependencies through plain services until it reaches components. */
class DependencyWalker {
  constructor(
    private readonly reader: BindingReader,
    private readonly components: ReadonlyMap<AnyClass, DiscoveredComponent>,
    private readonly factoryDependencies: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>,
  ) {}

  componentsNeededBy(root: AnyClass): Set<DiscoveredComponent> {
    const result = new Set<DiscoveredComponent>();
    const seenTypes = new Set<AnyClass>([root]);
    const seenIds = new Set<ServiceIdentifier>();
    const rootName = this.components.get(root)?.name ?? root.name;

    const visitId = (id: ServiceIdentifier, via: string, optional: boolean): void => {
      if (seenIds.has(id)) return;
      seenIds.add(id);
      const bindings = this.reader.bindingsOf(id);
      if (bindings.length === 0) {
        if (optional) return;
        throw new ConfigurationError(
          'ORDO_UNBOUND_DEPENDENCY',
          `Component "${rootName}" needs ${describeIdentifier(id)} (${via}), which is not bound in the container`,
        );
      }
      for (const binding of bindings) {
        if (binding.type === 'ServiceRedirection') {
          visitId(binding.targetServiceIdentifier, via, optional);
          continue;
        }
        if (binding.type === 'DynamicValue') {
          for (const injected of this.factoryDependencies.get(id) ?? []) {
            visitId(injected, `through the factory of ${describeIdentifier(id)}`, false);
          }
          continue;
        }
        const type = implementationOf(binding);
        if (!type) continue;
        const component = this.components.get(type);
        if (component && type !== root) {
          result.add(component);
        } else if (binding.type === 'Instance') {
          visitType(type);
        }
      }
    };

    const visitType = (type: AnyClass): void => {
      if (seenTypes.has(type) && type !== root) return;
      seenTypes.add(type);
      for (const { element, via } of injectedElements(type)) {
        visitId(identifierOf(element.value), via, element.optional);
      }
    };

    visitType(root);
    return result;
  }
}

function injectedElements(type: AnyClass): Array<{ element: ClassElementMetadata & { value: ServiceIdentifier | LazyServiceIdentifier; optional: boolean }; via: string }> {
  let metadata;
  try {
    metadata = getClassMetadata(type as never);
  } catch (cause) {
    throw new ConfigurationError(
      'ORDO_INVALID_INJECTION',
      `${type.name} cannot be injected: ${(cause as Error).message}`,
      { cause },
    );
  }
  const elements: Array<{ element: never; via: string }> = [];
  metadata.constructorArguments.forEach((element, index) => {
    if ('value' in element) elements.push({ element: element as never, via: `constructor argument ${index} of ${type.name}` });
  });
  for (const [property, element] of metadata.properties) {
    if ('value' in element) elements.push({ element: element as never, via: `property ${String(property)} of ${type.name}` });
  }
  return elements;
}

function identifierOf(value: ServiceIdentifier | LazyServiceIdentifier): ServiceIdentifier {
  return LazyServiceIdentifier.is(value) ? value.unwrap() : value;
}

function throwOnCycle(components: readonly DiscoveredComponent[]): void {
  const state = new Map<DiscoveredComponent, 'visiting' | 'done'>();
  const path: DiscoveredComponent[] = [];
  const visit = (node: DiscoveredComponent): void => {
    const seen = state.get(node);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(node)), node].map((c) => c.name).join(' -> ');
      throw new ConfigurationError('ORDO_DEPENDENCY_CYCLE', `Components depend on each other in a cycle: ${cycle}`);
    }
    state.set(node, 'visiting');
    path.push(node);
    for (const dependency of node.dependencies) visit(dependency);
    path.pop();
    state.set(node, 'done');
  };
  for (const component of components) visit(component);
}

/** Groups components in waves: each wave holds those whose dependencies are all in earlier waves. */
function wavesOf(components: readonly DiscoveredComponent[]): DiscoveredComponent[][] {
  const level = new Map<DiscoveredComponent, number>();
  const levelOf = (node: DiscoveredComponent): number => {
    let known = level.get(node);
    if (known === undefined) {
      known = 0;
      for (const dependency of node.dependencies) known = Math.max(known, levelOf(dependency) + 1);
      level.set(node, known);
    }
    return known;
  };
  const waves: DiscoveredComponent[][] = [];
  for (const component of components) (waves[levelOf(component)] ??= []).push(component);
  return waves;
}
