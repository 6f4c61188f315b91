import { Container, type ServiceIdentifier } from 'inversify';
import { describeIdentifier } from './class-name.js';
import type { AnyClass } from './component-metadata.js';
import { ConfigurationError } from './errors.js';

/** How long a provided instance lives: one per app (default), one per injection, or one per resolution graph. */
export type ProviderScope = 'singleton' | 'transient' | 'request';

/** A provider in NestJS style: a class, or an object saying what to bind to a token. */
export type Provider =
  | AnyClass
  | { provide: ServiceIdentifier; useValue: unknown }
  | { provide: ServiceIdentifier; useClass: AnyClass; scope?: ProviderScope }
  | {
      provide: ServiceIdentifier;
      useFactory: (...deps: never[]) => unknown;
      inject?: ServiceIdentifier[];
      scope?: ProviderScope;
    };

/** Options of {@link Module}. */
export interface ModuleOptions {
  /** Modules whose bindings this one needs; each module is bound once however often it is imported. */
  imports?: ModuleClass[];
  /** `@Component` classes, bound as singletons. */
  components?: AnyClass[];
  /** Services, bound as singletons unless a provider says otherwise. */
  providers?: Provider[];
}

/** A class marked with {@link Module}. */
export type ModuleClass = abstract new (...args: never[]) => unknown;

const moduleOptions = new WeakMap<object, ModuleOptions>();

/**
 * Describes bindings NestJS-style; `Ordo.create(AppModule)` binds every module reachable through `imports`.
 *
 * @example
 * ```ts
 * @Module({ imports: [DatabaseModule], components: [Api], providers: [{ provide: Config, useValue: config }] })
 * class AppModule {}
 * ```
 */
export function Module(options: ModuleOptions): ClassDecorator {
  return (target) => {
    moduleOptions.set(target, options);
  };
}

/** True when `value` is a class marked with {@link Module}. */
export function isModule(value: unknown): value is ModuleClass {
  return typeof value === 'function' && moduleOptions.has(value);
}

/** What binding a module tree produced, for discovery to see through factories. */
export interface CompiledModules {
  /** A new container holding every binding of the module tree, singletons by default. */
  readonly container: Container;
  /** The identifiers a `useFactory` provider declared it injects, keyed by the provided identifier. */
  readonly factoryDependencies: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>;
}

/** Binds every module reachable from `root` into a new container; imports are de-duplicated, cycles rejected. */
export function compileModules(root: ModuleClass): CompiledModules {
  const container = new Container({ defaultScope: 'Singleton' });
  const factoryDependencies = new Map<ServiceIdentifier, ServiceIdentifier[]>();
  const done = new Set<object>();
  const path: ModuleClass[] = [];
  // A class listed by several modules is one singleton of the app, as a module imported twice is one module.
  const boundClasses = new Set<AnyClass>();
  const bindOnce = (type: AnyClass): void => {
    if (boundClasses.has(type)) return;
    boundClasses.add(type);
    bindClass(container, type, type, 'singleton');
  };

  const visit = (module: ModuleClass): void => {
    if (done.has(module)) return;
    const at = path.indexOf(module);
    if (at >= 0) {
      const cycle = [...path.slice(at), module].map((m) => m.name).join(' -> ');
      throw new ConfigurationError('ORDO_MODULE_CYCLE', `Modules import each other in a cycle: ${cycle}`);
    }
    const options = moduleOptions.get(module);
    if (!options) {
      const importer = path.at(-1);
      throw new ConfigurationError(
        'ORDO_NOT_A_MODULE',
        importer
          ? `${importer.name} imports ${describeIdentifier(module)}, which is not marked with @Module()`
          : `${describeIdentifier(module)} is not marked with @Module(); pass a @Module class or a Container to Ordo.create()`,
      );
    }
    path.push(module);
    for (const imported of options.imports ?? []) visit(imported);
    path.pop();
    for (const component of options.components ?? []) bindOnce(component);
    (options.providers ?? []).forEach((provider, index) => {
      if (typeof provider === 'function') bindOnce(provider);
      else bindProvider(container, provider, `${module.name}'s provider #${index + 1}`, factoryDependencies);
    });
    done.add(module);
  };

  visit(root);
  return { container, factoryDependencies };
}

/** Binds an object provider; `where` names it in errors (`AppModule's provider #2`). */
function bindProvider(
  container: Container,
  provider: Exclude<Provider, AnyClass>,
  where: string,
  factoryDependencies: Map<ServiceIdentifier, ServiceIdentifier[]>,
): void {
  if (provider === null || typeof provider !== 'object' || !('provide' in provider)) {
    throw new ConfigurationError(
      'ORDO_INVALID_PROVIDER',
      `${where} (${describeValue(provider)}) is neither a class nor { provide, useValue | useClass | useFactory }`,
    );
  }
  if ('useValue' in provider) {
    container.bind(provider.provide).toConstantValue(provider.useValue);
  } else if ('useClass' in provider) {
    bindClass(container, provider.provide, provider.useClass, provider.scope ?? 'singleton');
  } else if ('useFactory' in provider) {
    const inject = provider.inject ?? [];
    const factory = provider.useFactory as (...deps: unknown[]) => unknown;
    const binding = container
      .bind(provider.provide)
      .toDynamicValue(async (context) => factory(...(await Promise.all(inject.map((id) => context.getAsync(id))))));
    applyScope(binding, provider.scope ?? 'singleton');
    factoryDependencies.set(provider.provide, inject);
  } else {
    throw new ConfigurationError(
      'ORDO_INVALID_PROVIDER',
      `${where} provides ${describeIdentifier((provider as { provide: ServiceIdentifier }).provide)} without useValue, useClass or useFactory`,
    );
  }
}

function bindClass(container: Container, id: ServiceIdentifier, type: AnyClass, scope: ProviderScope): void {
  applyScope(container.bind(id).to(type as new () => unknown), scope);
}

function applyScope(binding: { inSingletonScope(): unknown; inTransientScope(): unknown; inRequestScope(): unknown }, scope: ProviderScope): void {
  if (scope === 'singleton') binding.inSingletonScope();
  else if (scope === 'transient') binding.inTransientScope();
  else binding.inRequestScope();
}

/** A short description of a value that is not a valid provider, for an error message. */
function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  const keys = Object.keys(value);
  return keys.length === 0 ? '{}' : `{ ${keys.join(', ')} }`;
}
