import type { Binding } from '@inversifyjs/core';
import type { Container, ServiceIdentifier } from 'inversify';
import { bindingReaderOf } from './binding-reader.js';
import { ClassMetadataReads } from './class-metadata.js';
import { describeIdentifier } from './class-name.js';
import { findComponentBindings } from './component-bindings.js';
import { checkComponentOptions, type AnyClass, type ComponentDefinition } from './component-metadata.js';
import { DependencyWalker } from './dependency-walk.js';
import { ConfigurationError } from './errors.js';
import { rejectRequestOnlyInSingletons } from './request-only-check.js';
import { startWaves } from './start-waves.js';

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
    nodes.set(name, {
      name,
      id: entry.id,
      definition: entry.definition,
      viaFactory: entry.viaFactory,
      dependencies: new Set(),
    });
  }
  const classMetadata = new ClassMetadataReads();
  const byType = new Map<AnyClass, DiscoveredComponent>();
  for (const node of nodes.values()) byType.set(node.definition.type, node);
  if (hints.requestOnly?.size) {
    rejectRequestOnlyInSingletons(
      reader,
      bindingsById,
      byType,
      hints.requestOnly,
      hints.factoryDependencies ?? new Map(),
      classMetadata,
    );
  }

  const walker = new DependencyWalker(
    reader,
    bindingsById,
    byType,
    hints.factoryDependencies ?? new Map(),
    classMetadata,
  );
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
  const order = startWaves<DiscoveredComponent>(components, (component) => component.dependencies);
  if (order.cycle !== undefined) {
    const cycle = [...order.cycle, order.cycle[0]!].map((component) => component.name).join(' -> ');
    throw new ConfigurationError('ORDO_DEPENDENCY_CYCLE', `Components depend on each other in a cycle: ${cycle}`);
  }
  return { components, waves: order.waves };
}

/** A component while discovery still adds to its dependencies. */
interface ComponentNode extends DiscoveredComponent {
  readonly dependencies: Set<DiscoveredComponent>;
  /** Made by a factory: its dependencies are what the factory declared it injects, not its constructor's. */
  readonly viaFactory: boolean;
}
