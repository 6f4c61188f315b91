import type { Binding, ClassElementMetadata } from '@inversifyjs/core';
import { LazyServiceIdentifier, type ServiceIdentifier } from 'inversify';
import type { BindingReader } from './binding-reader.js';
import type { ClassMetadata, ClassMetadataReads } from './class-metadata.js';
import { describeIdentifier } from './class-name.js';
import { implementationOf } from './component-bindings.js';
import type { AnyClass } from './component-metadata.js';
import type { DiscoveredComponent } from './discovery.js';
import { ConfigurationError } from './errors.js';

/** A component a walk starts from. */
export interface WalkRoot {
  /** The identifier it is bound to. */
  readonly id: ServiceIdentifier;
  /** What its class declares. */
  readonly definition: DiscoveredComponent['definition'];
  /** Made by a factory: the walk follows what the factory declared it injects, not its constructor. */
  readonly viaFactory: boolean;
}

/** Marks an identifier reached through a factory provider's declared injections rather than a class member. */
export const THROUGH_FACTORY = Symbol('through the factory');

/** Where an injection was declared, for error messages: a constructor argument index, a property, or a factory. */
export type InjectionSite = number | string | symbol;

/** `constructor argument 0 of Cache`, `property db of Cache`, `through the factory of ...`: where an injection is. */
export function describeSite(owner: ServiceIdentifier, site: InjectionSite): string {
  if (site === THROUGH_FACTORY) return `through the factory of ${describeIdentifier(owner)}`;
  const name = (owner as AnyClass).name;
  return typeof site === 'number' ? `constructor argument ${site} of ${name}` : `property ${String(site)} of ${name}`;
}

/**
 * Follows injected dependencies through plain services until it reaches components. One walker serves every
 * component of a discovery: what a walk has seen is marked with the walk's number, so nothing is allocated per
 * walk, and the message of an error is only written when one is thrown.
 */
export class DependencyWalker {
  readonly #seenIds = new Map<ServiceIdentifier, number>();
  readonly #seenTypes = new Map<AnyClass, number>();
  /** The classes the walk is inside of, root first, to name a cycle. */
  readonly #path: AnyClass[] = [];
  #walk = 0;
  #root!: AnyClass;
  #into!: Set<DiscoveredComponent>;

  readonly #reader: BindingReader;
  readonly #bindingsById: ReadonlyMap<ServiceIdentifier, Binding[]>;
  readonly #components: ReadonlyMap<AnyClass, DiscoveredComponent>;
  readonly #factoryDependencies: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>;
  readonly #metadata: ClassMetadataReads;

  constructor(
    reader: BindingReader,
    bindingsById: ReadonlyMap<ServiceIdentifier, Binding[]>,
    components: ReadonlyMap<AnyClass, DiscoveredComponent>,
    factoryDependencies: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>,
    metadata: ClassMetadataReads,
  ) {
    this.#reader = reader;
    this.#bindingsById = bindingsById;
    this.#components = components;
    this.#factoryDependencies = factoryDependencies;
    this.#metadata = metadata;
  }

  /**
   * Adds to `into` the components `node` needs, in the order they are first reached: through its constructor and
   * properties, or through what its factory declared it injects.
   *
   * @throws ConfigurationError when the walk comes back to a class it is inside of: inversify cannot build that.
   */
  collect(node: WalkRoot, into: Set<DiscoveredComponent>): void {
    const root = node.definition.type;
    this.#walk++;
    this.#root = root;
    this.#into = into;
    if (!node.viaFactory) {
      this.#visitType(root);
      return;
    }
    this.#path.push(root);
    for (const injected of this.#factoryDependencies.get(node.id) ?? [])
      this.#visitId(injected, node.id, THROUGH_FACTORY, false);
    this.#path.pop();
  }

  #visitId(id: ServiceIdentifier, owner: ServiceIdentifier, site: InjectionSite, optional: boolean): void {
    const root = this.#root;
    const bindings = this.#bindingsById.get(id) ?? this.#reader.bindingsOf(id);
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
        `Component "${this.#components.get(root)?.name ?? root.name}" needs ${describeIdentifier(id)} (${describeSite(owner, site)}), which is not bound in the container`,
      );
    }
    for (const binding of bindings) {
      if (binding.type === 'ServiceRedirection') {
        this.#visitId(binding.targetServiceIdentifier, owner, site, optional);
        continue;
      }
      if (binding.type === 'DynamicValue') {
        for (const injected of this.#factoryDependencies.get(id) ?? [])
          this.#visitId(injected, id, THROUGH_FACTORY, false);
        continue;
      }
      const type = implementationOf(binding);
      if (!type) continue;
      if (type === root) this.#throwCycle(type);
      const component = this.#components.get(type);
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
    const { constructorArguments, properties } = classMetadataOf(this.#metadata, type);
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
    const names = [...this.#path.slice(from), back].map((type) => this.#components.get(type)?.name ?? type.name);
    this.#path.length = 0;
    throw new ConfigurationError(
      'ORDO_DEPENDENCY_CYCLE',
      `Classes inject each other in a cycle: ${names.join(' -> ')}`,
    );
  }

  #visitInjection(element: ClassElementMetadata, owner: AnyClass, site: InjectionSite): void {
    const { value, optional } = element as ClassElementMetadata & {
      value: ServiceIdentifier | LazyServiceIdentifier;
      optional: boolean;
    };
    this.#visitId(identifierOf(value), owner, site, optional);
  }
}

function classMetadataOf(metadata: ClassMetadataReads, type: AnyClass): ClassMetadata {
  try {
    return metadata.of(type);
  } catch (cause) {
    throw new ConfigurationError(
      'ORDO_INVALID_INJECTION',
      `${type.name} cannot be injected: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/** The identifier an injection names, a lazy one unwrapped. */
export function identifierOf(value: ServiceIdentifier | LazyServiceIdentifier): ServiceIdentifier {
  return LazyServiceIdentifier.is(value) ? value.unwrap() : value;
}
