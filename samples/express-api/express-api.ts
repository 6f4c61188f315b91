/**
 * The seed's EnrichedUser composition and its RegisterAction, served by Express 5 through Ordo's graceful server:
 * `GET /users/:id` answers the enriched user, computed in the request's scope (each upstream fetched once per
 * request, however many tasks need it); `POST /register` creates the user, answers 201 at once, and records the
 * analytics after the response through `Background.after()`, with the request's id in its log lines. The health
 * routes are on the main port. At stop, readiness turns false, the server drains its requests, then the analytics
 * still running are drained.
 */
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler } from 'express';
import { inject, type ServiceIdentifier } from 'inversify';
import { App, Clock, Component, Logger, Module, Ordo } from '../../src/index.js';
import { ordoHealth, ordoScope } from '../../src/http/express.js';
import { GracefulHttpServer } from '../../src/http/index.js';
import { Enricher, Posts, Subscriptions, Upstream, Users } from '../enriched-user/services.js';
import {
  AnalyticsSettings,
  RegisterAction,
  RegisterModule,
  requestValues,
  type RegisterInput,
} from '../register-action/register-action.js';
import { HttpSettings } from '../shared/http-settings.js';
import { PrintLogger } from '../shared/print-logger.js';

/** The Express app, served by the graceful server component. */
@Component({ name: 'express-api', stopTimeout: '10s' })
export class ExpressApi extends GracefulHttpServer {
  constructor(
    @inject(App) private readonly app: App,
    @inject(Enricher) private readonly enricher: Enricher,
    @inject(RegisterAction) private readonly register: RegisterAction,
    @inject(HttpSettings) settings: HttpSettings,
  ) {
    super({ port: settings.port, host: settings.host, drainTimeout: '8s' });
  }

  protected handler(): express.Express {
    const api = express();
    api.use(ordoScope(this.app));
    api.use(ordoHealth(this.app));
    // The request's id, in the async context of everything the request does, `after()` work included.
    api.use((request, _response, next) =>
      requestValues.run({ requestId: request.get('x-request-id') ?? randomUUID() }, next),
    );
    api.get('/users/:id', async (request, response) => {
      response.json(await this.enricher.enrichedUser(request.params.id));
    });
    api.post('/register', express.json(), async (request, response) => {
      response.status(201).json(await this.register.call(request.body as RegisterInput));
    });
    const conflict: ErrorRequestHandler = (error: Error, _request, response, next) => {
      if (!/exists/.test(error.message)) return next(error);
      response.status(409).json({ error: error.message });
    };
    api.use(conflict);
    return api;
  }
}

@Module({
  imports: [RegisterModule],
  components: [ExpressApi],
  providers: [Upstream, Users, Posts, Subscriptions, Enricher, { provide: HttpSettings, useValue: new HttpSettings() }],
})
export class ExpressApiModule {}

/** Creates the sample app; `print` receives its log lines. */
export function createExpressApiApp(
  options: { print?: (line: string) => void; clock?: Clock; analytics?: AnalyticsSettings; http?: HttpSettings } = {},
): Promise<App> {
  const overrides: Array<[ServiceIdentifier, unknown]> = [[Logger, new PrintLogger(options.print)]];
  if (options.clock) overrides.push([Clock, options.clock]);
  if (options.analytics) overrides.push([AnalyticsSettings, options.analytics]);
  if (options.http) overrides.push([HttpSettings, options.http]);
  return Ordo.create(ExpressApiModule, { overrides });
}
