/**
 * The public face of the core capability: decorators, modules, the logger, events, configuration errors and the
 * runtime contract.
 * What Ordo's own composition needs beyond this (discovery, module compilation, binding reads) is in internal.ts.
 */
export {
  Component,
  OnStart,
  OnStop,
  HealthCheck,
  type AnyClass,
  type ComponentOptions,
  type HealthCheckOptions,
  type HookDecorator,
  type LifecycleHookMethod,
  type HealthCheckMethod,
} from './component-metadata.js';
export type { HealthResult, HealthStatus } from './health-result.js';
export { stopDetails, type StopDetails, type MarkedStopDetails } from './stop-details.js';
export { Module, type ModuleOptions, type ModuleClass, type Provider, type ProviderScope } from './module.js';
export { Logger, ConsoleLogger, SilentLogger } from './logger.js';
export { AppEvents, type AppEventMap } from './events.js';
export { ConfigurationError } from './errors.js';
export { override, type Override } from './override.js';
export type {
  AppExtension,
  ExtensionContext,
  Runtime,
  RuntimeContext,
  RuntimePreparation,
  RuntimeProblem,
} from './runtime.js';
