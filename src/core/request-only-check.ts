import type { Binding } from '@inversifyjs/core';
import type { LazyServiceIdentifier, ServiceIdentifier } from 'inversify';
import type { BindingReader } from './binding-reader.js';
import type { ClassMetadata, ClassMetadataReads } from './class-metadata.js';
import { describeIdentifier } from './class-name.js';
import type { AnyClass } from './component-metadata.js';
import { describeSite, identifierOf, THROUGH_FACTORY, type InjectionSite } from './dependency-walk.js';
import type { DiscoveredComponent, RequestOnlyHint } from './discovery.js';
import { ConfigurationError } from './errors.js';

/**
 * Rejects a singleton that injects a request-only identifier, directly or through the transient and request-scoped
 * services it is built with: built once, inside one request or outside any, it would keep that value for good.
 * A singleton it injects is checked as a holder of its own, so each walk stops at the next singleton.
 *
 * @throws ConfigurationError `ORDO_REQUEST_SCOPE_IN_SINGLETON` naming the singleton, the identifier and where it
 * is injected.
 */
export function rejectRequestOnlyInSingletons(
  reader: BindingReader,
  bindingsById: ReadonlyMap<ServiceIdentifier, Binding[]>,
  components: ReadonlyMap<AnyClass, DiscoveredComponent>,
  requestOnly: ReadonlyMap<ServiceIdentifier, RequestOnlyHint>,
  factoryDependencies: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>,
  classMetadata: ClassMetadataReads,
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
      else if (target.type === 'Instance' && target.scope !== 'Singleton')
        visitType(target.implementationType as AnyClass);
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
    const metadata = readableClassMetadataOf(classMetadata, type);
    metadata?.constructorArguments.forEach((element, index) => {
      if ('value' in element)
        visitId(identifierOf(element.value as ServiceIdentifier | LazyServiceIdentifier), type, index);
    });
    for (const [property, element] of metadata?.properties ?? []) {
      if ('value' in element)
        visitId(identifierOf(element.value as ServiceIdentifier | LazyServiceIdentifier), type, property);
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
function readableClassMetadataOf(classMetadata: ClassMetadataReads, type: AnyClass): ClassMetadata | undefined {
  try {
    return classMetadata.of(type);
  } catch {
    return undefined;
  }
}
