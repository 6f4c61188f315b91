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
  type HookDecorator,
  type LifecycleHookMethod,
  type HealthCheckMethod,
} from './component-metadata.js';
export type { HealthResult, HealthStatus } from './health-result.js';
export { Module, isModule, compileModules, type ModuleOptions, type ModuleClass, type Provider, type ProviderScope, type CompiledModules } from './module.js';
export { discoverComponents, type DiscoveredComponent, type ComponentGraph, type DiscoveryHints, type RequestOnlyHint } from './discovery.js';
export { bindingReaderOf, type BindingReader } from './binding-reader.js';
export { Logger, ConsoleLogger, SilentLogger } from './logger.js';
export { AppEvents, type AppEventMap } from './events.js';
export { ConfigurationError } from './errors.js';
export { override, type Override } from './override.js';
export { describeIdentifier } from './class-name.js';
