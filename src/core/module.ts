import { Container, type ServiceIdentifier } from 'inversify';
import type { OrdoErrorCode } from '../errors/index.js';
import { describeIdentifier } from './class-name.js';
import { isComponent, type AnyClass } from './component-metadata.js';
import { ConfigurationError } from './errors.js';
import { CIRCULAR_IMPORT_HINT, describeValue } from './option-checks.js';

/**
 * How long a provided instance lives: one per app (`'singleton'`, the default of a provider without `scope`), one
 * per injection (`'transient'`), or one per resolution graph (`'request'`).
 */
export type ProviderScope = 'singleton' | 'transient' | 'request';

/** A provider in NestJS style: a class, or an object saying what to bind to a token. */
export type Provider =
  | AnyClass
  | { provide: ServiceIdentifier; useValue: unknown }
  | {
      provide: ServiceIdentifier;
      useClass: AnyClass;
      /** @default 'singleton' */
      scope?: ProviderScope;
    }
  | {
      provide: ServiceIdentifier;
      useFactory: (...deps: never[]) => unknown;
      /**
       * The tokens whose instances the factory is called with, in order.
       *
       * @default []
       */
      inject?: ServiceIdentifier[];
      /** @default 'singleton' */
      scope?: ProviderScope;
    };

/** Options of {@link Module}. */
export interface ModuleOptions {
  /**
   * Modules whose bindings this one needs; each module is bound once however often it is imported.
   *
   * @default []
   */
  imports?: ModuleClass[];
  /**
   * `@Component` classes, bound as singletons.
   *
   * @default []
   */
  components?: AnyClass[];
  /**
   * Services, bound as singletons unless a provider's `scope` says otherwise.
   *
   * @default []
   *
   * @example
   * ```ts
   * providers: [
   *   UserRepo,
   *   { provide: Config, useValue: config },
   *   { provide: Pool, useFactory: (config: Config) => makePool(config), inject: [Config] },
   * ]
   * ```
   */
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
export function Module(options: ModuleOptions = {}): ClassDecorator {
  return (target) => {
    moduleOptions.set(target, options ?? {});
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
        importer && module === undefined
          ? `${importer.name} imports undefined, ${CIRCULAR_IMPORT_HINT}; break the import cycle`
          : importer
            ? `${importer.name} imports ${describeIdentifier(module)}, which is not marked with @Module()`
            : `${describeIdentifier(module)} is not marked with @Module(); pass a @Module class or a Container to Ordo.create()`,
      );
    }
    path.push(module);
    for (const imported of listOption(module, options, 'imports', 'ORDO_NOT_A_MODULE')) visit(imported);
    path.pop();
    listOption(module, options, 'components', 'ORDO_NOT_A_COMPONENT').forEach((component, index) => {
      checkComponentEntry(module, component, index);
      bindOnce(component);
    });
    listOption(module, options, 'providers', 'ORDO_INVALID_PROVIDER').forEach((provider, index) => {
      const where = `${module.name}'s provider #${index + 1}`;
      if (typeof provider === 'function') bindOnce(provider);
      else bindProvider(container, provider, where, factoryDependencies);
    });
    done.add(module);
  };

  visit(root);
  return { container, factoryDependencies };
}

/** A list option of a module, checked to be an array so that a single class or a string is not iterated. */
function listOption<K extends 'imports' | 'components' | 'providers'>(
  module: ModuleClass,
  options: ModuleOptions,
  key: K,
  code: OrdoErrorCode,
): NonNullable<ModuleOptions[K]> {
  const list: unknown = options[key];
  if (list === undefined) return [] as unknown as NonNullable<ModuleOptions[K]>;
  if (!Array.isArray(list)) {
    throw new ConfigurationError(
      code,
      `@Module({ ${key} }) of ${module.name} must be an array, got ${describeValue(list)}; write ${key}: [${typeof list === 'function' ? list.name : '...'}]`,
    );
  }
  return list as NonNullable<ModuleOptions[K]>;
}

/** A module's `components` entry must be a `@Component` class: a plain class listed there would never start. */
function checkComponentEntry(module: ModuleClass, component: unknown, index: number): void {
  const where = `${module.name}'s component #${index + 1}`;
  if (component === undefined) {
    throw new ConfigurationError(
      'ORDO_NOT_A_COMPONENT',
      `${where} is undefined, ${CIRCULAR_IMPORT_HINT}; break the import cycle`,
    );
  }
  if (typeof component !== 'function') {
    throw new ConfigurationError('ORDO_NOT_A_COMPONENT', `${where} is ${describeValue(component)}, not a class`);
  }
  if (!isComponent(component)) {
    throw new ConfigurationError(
      'ORDO_NOT_A_COMPONENT',
      `${where}, ${component.name}, is not marked @Component(), so nothing would start or stop it: mark it with @Component(), or list it in providers if it is a plain service`,
    );
  }
}

const SCOPES: readonly ProviderScope[] = ['singleton', 'transient', 'request'];

/** Binds an object provider; `where` names it in errors (`AppModule's provider #2`). */
function bindProvider(
  container: Container,
  provider: Exclude<Provider, AnyClass>,
  where: string,
  factoryDependencies: Map<ServiceIdentifier, ServiceIdentifier[]>,
): void {
  if (provider === undefined) {
    throw new ConfigurationError(
      'ORDO_INVALID_PROVIDER',
      `${where} is undefined, ${CIRCULAR_IMPORT_HINT}; break the import cycle`,
    );
  }
  if (provider === null || typeof provider !== 'object' || !('provide' in provider)) {
    throw new ConfigurationError(
      'ORDO_INVALID_PROVIDER',
      `${where} (${describeValue(provider)}) is neither a class nor { provide, useValue | useClass | useFactory }`,
    );
  }
  const id = checkedIdentifier(provider.provide, `${where}: provide`);
  const named = `${where} (${describeIdentifier(id)})`;
  if ('scope' in provider && provider.scope !== undefined && !SCOPES.includes(provider.scope)) {
    throw new ConfigurationError(
      'ORDO_INVALID_PROVIDER',
      `${named} has scope ${describeValue(provider.scope)}; expected ${SCOPES.map((scope) => `'${scope}'`).join(', ')}`,
    );
  }
  if ('useValue' in provider) {
    container.bind(id).toConstantValue(provider.useValue);
  } else if ('useClass' in provider) {
    if (typeof provider.useClass !== 'function') {
      throw new ConfigurationError(
        'ORDO_INVALID_PROVIDER',
        provider.useClass === undefined
          ? `${named} has useClass undefined, ${CIRCULAR_IMPORT_HINT}; break the import cycle`
          : `${named} has useClass ${describeValue(provider.useClass)}; expected a class`,
      );
    }
    bindClass(container, id, provider.useClass, provider.scope ?? 'singleton');
  } else if ('useFactory' in provider) {
    if (typeof provider.useFactory !== 'function') {
      throw new ConfigurationError(
        'ORDO_INVALID_PROVIDER',
        `${named} has useFactory ${describeValue(provider.useFactory)}; expected a function`,
      );
    }
    const inject = checkedInjectList(provider.inject, named);
    const factory = provider.useFactory as (...deps: unknown[]) => unknown;
    const binding = container
      .bind(id)
      .toDynamicValue(async (context) =>
        factory(...(await Promise.all(inject.map((injected) => context.getAsync(injected))))),
      );
    applyScope(binding, provider.scope ?? 'singleton');
    factoryDependencies.set(id, inject);
  } else {
    throw new ConfigurationError(
      'ORDO_INVALID_PROVIDER',
      `${where} provides ${describeIdentifier(id)} without useValue, useClass or useFactory`,
    );
  }
}

/** A factory's `inject` list: an array of identifiers, each checked so that a misspelt list fails here. */
function checkedInjectList(inject: unknown, named: string): ServiceIdentifier[] {
  if (inject === undefined) return [];
  if (!Array.isArray(inject)) {
    const example =
      typeof inject === 'string'
        ? `inject: [${JSON.stringify(inject)}]`
        : typeof inject === 'function'
          ? `inject: [${inject.name}]`
          : 'inject: [Config]';
    throw new ConfigurationError(
      'ORDO_INVALID_PROVIDER',
      `${named} has inject ${describeValue(inject)}; expected an array of identifiers: ${example}`,
    );
  }
  return inject.map((injected, index) => checkedIdentifier(injected, `${named}: inject[${index}]`));
}

/** A service identifier: a class, a string or a symbol. */
function checkedIdentifier(id: unknown, where: string): ServiceIdentifier {
  if (typeof id === 'function' || typeof id === 'symbol' || (typeof id === 'string' && id !== ''))
    return id as ServiceIdentifier;
  throw new ConfigurationError(
    'ORDO_INVALID_PROVIDER',
    id === undefined
      ? `${where} is undefined, ${CIRCULAR_IMPORT_HINT}; break the import cycle`
      : `${where} is ${describeValue(id)}; expected a class, a string or a symbol`,
  );
}

/**
 * Binds `type`, which makes inversify read how it is injected: a constructor it cannot read (no `@inject` and no
 * type metadata, as esbuild and tsx build it) throws there, and is reported as discovery reports it.
 *
 * @throws ConfigurationError `ORDO_INVALID_INJECTION` naming the class, with inversify's error as its cause.
 */
function bindClass(container: Container, id: ServiceIdentifier, type: AnyClass, scope: ProviderScope): void {
  let binding: Parameters<typeof applyScope>[0];
  try {
    binding = container.bind(id).to(type as new () => unknown);
  } catch (cause) {
    throw new ConfigurationError(
      'ORDO_INVALID_INJECTION',
      `${type.name} cannot be injected: ${(cause as Error).message}`,
      { cause },
    );
  }
  applyScope(binding, scope);
}

function applyScope(
  binding: { inSingletonScope(): unknown; inTransientScope(): unknown; inRequestScope(): unknown },
  scope: ProviderScope,
): void {
  if (scope === 'singleton') binding.inSingletonScope();
  else if (scope === 'transient') binding.inTransientScope();
  else binding.inRequestScope();
}
