/** The public face of the lifecycle capability: the App, its options and reports, and its errors. */
export { App, DEFAULT_APP_TASK_ENTRIES, DEFAULT_SHUTDOWN_TIMEOUT, type AppOptions, type ShutdownOptions } from './app.js';
export type { AppExtension, ExtensionContext } from './extension.js';
export { StartupError, HookTimeoutError, AppStateError } from './errors.js';
export type { StopReport, AbandonedWork } from './stop-report.js';
export type { HealthResult, HealthStatus, HealthReport, CheckOutcome, AppState } from './health.js';
export { HealthCheckError } from './health.js';
export type { HealthServer, HealthServerOptions, TerminusBody } from './health-server.js';
export type { ShutdownHookOptions } from './shutdown-hooks.js';
export { DEFAULT_START_TIMEOUT, DEFAULT_STOP_TIMEOUT } from './running-component.js';
