import type { Binding } from '@inversifyjs/core';
import type { ServiceIdentifier } from 'inversify';
import type { BindingReader } from './binding-reader.js';
import { describeIdentifier } from './class-name.js';
import {
  componentTraitsOf,
  isComponent,
  isMarkedComponent,
  readComponent,
  type AnyClass,
  type ComponentDefinition,
} from './component-metadata.js';
import { ConfigurationError } from './errors.js';

/** A binding that produces a component. */
export interface ComponentBinding {
  /** The identifier it is bound to. */
  readonly id: ServiceIdentifier;
  /** What its class declares. */
  readonly definition: ComponentDefinition;
  /** Made by a factory: its dependencies are what the factory declared it injects, not its constructor's. */
  readonly viaFactory: boolean;
}

/**
 * Every component binding, in the order the container lists them. Fills `bindingsById` with the bindings of every
 * bound identifier, which the dependency walk reads again.
 */
export function findComponentBindings(
  reader: BindingReader,
  bindingsById: Map<ServiceIdentifier, Binding[]>,
): ComponentBinding[] {
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

/** The class a binding makes instances of, when the binding shows it (a class, or a constant's constructor). */
export function implementationOf(binding: Binding): AnyClass | undefined {
  if (binding.type === 'Instance') return binding.implementationType as AnyClass;
  if (binding.type === 'ConstantValue') {
    const value = binding.value as unknown;
    if (value !== null && typeof value === 'object') return (value as object).constructor as AnyClass;
  }
  return undefined;
}
