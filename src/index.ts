/**
 * Ordo: decorator-based dependency injection for Node.js services on inversify.
 *
 * The package root lists every name it publishes, each taken from a capability's public face (its `index.ts`),
 * never from an `internal.ts`: adding a name here is a deliberate change of the public API, and
 * test/package/build.test.ts pins the list.
 */
import 'reflect-metadata';

// errors
export type { OrdoErrorCode } from './errors/index.js';
export { ERROR_CODES, isOrdoErrorCode, OrdoError } from './errors/index.js';

// time
export type {
  Duration,
  RunAllOptions,
  SystemClockOptions,
  HostTimers,
  Ticker,
  TickerOptions,
  TimerHandle,
  VirtualClockOptions,
  WaitForTimersOptions,
} from './time/index.js';
export {
  Clock,
  formatDuration,
  InvalidDurationError,
  MAX_HOST_TIMER_DELAY,
  parseDuration,
  SystemClock,
  VIRTUAL_CLOCK_EPOCH,
  VirtualClock,
  VirtualClockError,
} from './time/index.js';

// components, modules, logging, events
export type {
  AnyClass,
  AppEventMap,
  AppExtension,
  ComponentOptions,
  ExtensionContext,
  HealthCheckMethod,
  HealthCheckOptions,
  HealthResult,
  HealthStatus,
  HookDecorator,
  LifecycleHookMethod,
  MarkedStopDetails,
  ModuleClass,
  ModuleOptions,
  Override,
  Provider,
  ProviderScope,
  Runtime,
  RuntimeContext,
  RuntimePreparation,
  RuntimeProblem,
  StopDetails,
} from './core/index.js';
export {
  AppEvents,
  Component,
  ConfigurationError,
  ConsoleLogger,
  HealthCheck,
  Logger,
  Module,
  OnStart,
  OnStop,
  override,
  SilentLogger,
  stopDetails,
} from './core/index.js';

// the app and its life
export type {
  AbandonedWork,
  AppState,
  CheckOutcome,
  HealthReport,
  HealthServer,
  HealthServerOptions,
  ShutdownHookOptions,
  ShutdownOptions,
  StopReport,
  TerminusBody,
} from './lifecycle/index.js';
export {
  AppStateError,
  DEFAULT_SHUTDOWN_TIMEOUT,
  DEFAULT_START_TIMEOUT,
  DEFAULT_STOP_TIMEOUT,
  HealthCheckError,
  HookTimeoutError,
  StartupError,
} from './lifecycle/index.js';

// the composition root
export { App, Ordo, type AppOptions, type CreateOptions } from './app/index.js';

// memoized tasks
export type {
  AppTaskOptions,
  BoundOutput,
  BoundTask,
  RequestScopeOptions,
  TaskFn,
  TaskGroupOptions,
  TaskKeyErrorOptions,
  TaskMethodDecorator,
  TaskMethodErrorCode,
  TaskMethodOptions,
  TaskOptions,
  TaskOutcomes,
  TaskOutputs,
  TaskRunOptions,
  TaskScopeOptions,
  TaskScopeStats,
} from './tasks/index.js';
export {
  currentTaskScope,
  DEFAULT_APP_TASK_ENTRIES,
  RequestScope,
  RequestScopeError,
  task,
  Task,
  TaskCycleError,
  TaskKeyError,
  TaskMethodError,
  TaskOptionError,
  TaskScope,
} from './tasks/index.js';

// scheduled work
export type {
  CronOptions,
  CronSpec,
  EveryOptions,
  EverySpec,
  OverlapPolicy,
  ScheduleDecorator,
  ScheduledFn,
  ScheduleErrorCode,
  ScheduleInfo,
  ScheduleOptions,
  ScheduleRunContext,
  ScheduleRunOutcome,
  ScheduleSpec,
} from './schedule/index.js';
export { Cron, Every, ScheduleError, Schedules } from './schedule/index.js';
// background work after a response
export type { BackgroundErrorCode, BackgroundFn, BackgroundOptions } from './schedule/index.js';
export { Background, BackgroundError } from './schedule/index.js';

// durable jobs
export type {
  BackoffOption,
  BullmqConnection,
  BullmqJobsOptions,
  ClaimedJob,
  EnqueueOptions,
  JobAttempt,
  JobContext,
  JobCounts,
  JobDecorator,
  JobErrorCode,
  JobHandler,
  JobId,
  JobInfo,
  JobListQuery,
  JobOptions,
  JobPage,
  JobQueueSpec,
  JobsBackend,
  JobsBackendContext,
  JobsDrainReport,
  JobsOptions,
  JobState,
  NewJob,
  SqliteJobsOptions,
} from './jobs/index.js';
export { Job, JOB_STATES, JobError, Jobs } from './jobs/index.js';
