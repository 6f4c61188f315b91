/**
 * The seed's RegisterAction: an action creates the user, answers at once, and records analytics after the response,
 * as best-effort follow-up work. `Background.after()` starts it when the request scope ends, with a signal of its own
 * (the request's cancellation does not reach it) that aborts after 30 s, and with the request's async context (its
 * request id), which the seed carries by hand with `context.WithoutCancel`. At `stop()` the app drains it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { inject, injectable, type ServiceIdentifier } from 'inversify';
import { App, Background, Clock, Logger, Module, Ordo, type Duration } from '../../src/index.js';
import { PrintLogger } from '../shared/print-logger.js';

/** What the register action takes. */
export interface RegisterInput {
  readonly email: string;
  readonly userId: string;
}

/** What the register action answers. */
export interface RegisterResponse {
  readonly ok: boolean;
}

/** The request's own values, as a request id set by the HTTP layer would be. */
export const requestValues = new AsyncLocalStorage<{ readonly requestId: string }>();

/** The app's Logger with the current request's id added to each entry, as the seed's `logger.From(ctx, log)`. */
@injectable()
export class RequestLog {
  constructor(@inject(Logger) private readonly logger: Logger) {}
  info(fields: object, message: string): void {
    this.logger.info({ requestId: requestValues.getStore()?.requestId, ...fields }, message);
  }
  warn(fields: object, message: string): void {
    this.logger.warn({ requestId: requestValues.getStore()?.requestId, ...fields }, message);
  }
}

/** The user table. */
@injectable()
export class UserStore {
  readonly users = new Map<string, string>();
  async create(input: RegisterInput): Promise<void> {
    if (this.users.has(input.userId)) throw new Error(`user ${input.userId} exists`);
    this.users.set(input.userId, input.email);
  }
}

/** Settings of the sample's fake analytics service. */
export class AnalyticsSettings {
  constructor(
    readonly latency: Duration = '200ms',
    readonly fail = false,
  ) {}
}

/** A third-party analytics API: slow (on the Clock), sometimes down. */
@injectable()
export class AnalyticsRecorder {
  readonly recorded: string[] = [];
  constructor(
    @inject(Clock) private readonly clock: Clock,
    @inject(AnalyticsSettings) private readonly settings: AnalyticsSettings,
  ) {}

  async record(event: string, userId: string, signal: AbortSignal): Promise<void> {
    await this.clock.sleep(this.settings.latency, signal);
    if (this.settings.fail) throw new Error('analytics answered 503');
    this.recorded.push(`${event}:${userId}`);
  }
}

/** The action: creates the user, answers, and defers the analytics to after the response. */
@injectable()
export class RegisterAction {
  constructor(
    @inject(UserStore) private readonly users: UserStore,
    @inject(AnalyticsRecorder) private readonly analytics: AnalyticsRecorder,
    @inject(Background) private readonly background: Background,
    @inject(RequestLog) private readonly log: RequestLog,
  ) {}

  async call(input: RegisterInput): Promise<RegisterResponse> {
    await this.users.create(input);
    this.background.after(
      'register:analytics',
      async (signal) => {
        try {
          await this.analytics.record('user_registered', input.userId, signal);
          this.log.info({ userId: input.userId }, 'analytics recorded');
        } catch (error) {
          this.log.warn({ err: error }, 'post-response analytics failed');
        }
      },
      { timeout: '30s' },
    );
    return { ok: true };
  }
}

/** Stands in for the HTTP layer: one request scope per request, with the request's id in the async context. */
@injectable()
export class ActionEndpoint {
  constructor(
    @inject(App) private readonly app: App,
    @inject(RegisterAction) private readonly action: RegisterAction,
    @inject(RequestLog) private readonly log: RequestLog,
  ) {}

  async post(requestId: string, input: RegisterInput): Promise<RegisterResponse> {
    const response = await this.app.runInScope(() => requestValues.run({ requestId }, () => this.action.call(input)));
    requestValues.run({ requestId }, () => this.log.info({ ok: response.ok }, 'response sent'));
    return response;
  }
}

@Module({
  providers: [
    RequestLog,
    UserStore,
    AnalyticsRecorder,
    RegisterAction,
    ActionEndpoint,
    { provide: AnalyticsSettings, useValue: new AnalyticsSettings() },
  ],
})
export class RegisterModule {}

/** Creates the sample app; `print` receives its log lines. */
export function createRegisterApp(
  options: { print?: (line: string) => void; clock?: Clock; analytics?: AnalyticsSettings } = {},
): Promise<App> {
  const overrides: Array<[ServiceIdentifier, unknown]> = [[Logger, new PrintLogger(options.print)]];
  if (options.clock) overrides.push([Clock, options.clock]);
  if (options.analytics) overrides.push([AnalyticsSettings, options.analytics]);
  return Ordo.create(RegisterModule, { overrides });
}
