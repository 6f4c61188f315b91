import { Container, type ServiceIdentifier } from 'inversify';
import {
  ConfigurationError,
  ConsoleLogger,
  Logger,
  compileModules,
  discoverComponents,
  isModule,
  type CompiledModules,
  type ModuleClass,
} from './core/index.js';
import { App, type AppExtension, type ShutdownOptions } from './lifecycle/index.js';
import { Clock, SystemClock } from './time/index.js';

/** Options of {@link Ordo.create}. */
export interface CreateOptions extends ShutdownOptions {
  /**
   * Replaces bindings before anything is resolved, as NestJS's `overrideProvider` does in tests:
   * `[[Clock, new VirtualClock()], [Mailer, fakeMailer]]`. Each value is bound as a constant.
   */
  overrides?: Iterable<readonly [ServiceIdentifier, unknown]>;
  /** Runtimes that join the app's life after components start and leave it before they stop. */
  extensions?: readonly AppExtension[];
}

/**
 * The entry point: builds an {@link App} from a `@Module` class or a container you filled.
 *
 * @example
 * ```ts
 * const app = await Ordo.create(AppModule);
 * app.enableShutdownHooks();
 * await app.start();
 * ```
 */
export class Ordo {
  private constructor() {}

  /**
   * Validates everything from metadata and resolves nothing: misuse of decorators, unbound dependencies, duplicate
   * names and cycles are errors here, before any code of yours runs. Binds `Clock` to a `SystemClock` and `Logger`
   * to a `ConsoleLogger` unless the container binds them already.
   *
   * @throws ConfigurationError naming what is wrong.
   */
  static async create(root: ModuleClass | Container, options: CreateOptions = {}): Promise<App> {
    const compiled = compile(root);
    const { container } = compiled;
    if (!container.isBound(Clock)) container.bind(Clock).toDynamicValue(() => new SystemClock()).inSingletonScope();
    if (!container.isBound(Logger)) container.bind(Logger).toDynamicValue(() => new ConsoleLogger()).inSingletonScope();
    for (const [id, value] of options.overrides ?? []) {
      if (container.isBound(id)) container.rebind(id).toConstantValue(value);
      else container.bind(id).toConstantValue(value);
    }
    const graph = discoverComponents(container, { factoryDependencies: compiled.factoryDependencies });
    return new App(container, graph, options.extensions ?? [], options);
  }
}

function compile(root: ModuleClass | Container): CompiledModules {
  if (root instanceof Container) return { container: root, factoryDependencies: new Map() };
  if (isModule(root)) return compileModules(root);
  throw new ConfigurationError(
    'ORDO_NOT_A_MODULE',
    `Ordo.create() takes a @Module class or an inversify Container, got ${typeof root === 'function' ? (root as { name: string }).name : typeof root}`,
  );
}
