/** The public face of the lifecycle capability: shutdown options, reports, health, and their errors. */
export { DEFAULT_SHUTDOWN_TIMEOUT, type ShutdownOptions } from './lifecycle.js';
export { StartupError, HookTimeoutError, AppStateError } from './errors.js';
export type { StopReport, AbandonedWork } from './stop-report.js';
export type { HealthResult, HealthStatus, HealthReport, CheckOutcome, AppState } from './health.js';
export { HealthCheckError } from './health.js';
export type { HealthServer, HealthServerOptions } from './health-server.js';
export type { TerminusBody } from './health-body.js';
export type { ShutdownHookOptions } from './shutdown-hooks.js';
export { DEFAULT_START_TIMEOUT, DEFAULT_STOP_TIMEOUT } from './running-component.js';
