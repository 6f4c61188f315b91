export {
  Component,
  OnStart,
  OnStop,
  HealthCheck,
  isComponent,
  readComponent,
  type AnyClass,
  type ComponentOptions,
  type ComponentDefinition,
  type HealthCheckOptions,
  type HookRole,
} from './component-metadata.js';
export { Module, isModule, compileModules, type ModuleOptions, type ModuleClass, type Provider, type ProviderScope, type CompiledModules } from './module.js';
export { discoverComponents, type DiscoveredComponent, type ComponentGraph, type DiscoveryHints } from './discovery.js';
export { bindingReaderOf, type BindingReader } from './binding-reader.js';
export { Logger, ConsoleLogger, SilentLogger } from './logger.js';
export { AppEvents, type AppEventMap } from './events.js';
export { ConfigurationError } from './errors.js';
export { describeIdentifier } from './class-name.js';
