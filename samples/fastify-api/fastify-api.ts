/**
 * The seed's EnrichedUser composition and its RegisterAction, served by Fastify 5 through Ordo's graceful server:
 * `GET /users/:id` answers the enriched user, computed in the request's scope (each upstream fetched once per
 * request, however many tasks need it); `POST /register` creates the user, answers 201 at once, and records the
 * analytics after the response through `Background.after()`, with the request's id in its log lines. The health
 * routes are on the main port. At stop, readiness turns false, the server drains its requests and Fastify closes
 * (its `onClose` hooks run), then the analytics still running are drained.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { inject, type ServiceIdentifier } from 'inversify';
import { App, Clock, Component, Logger, Module, Ordo } from '../../src/index.js';
import { ordoFastify } from '../../src/http/fastify.js';
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

/** The Fastify instance, served by the graceful server component (which makes it ready and closes it). */
@Component({ name: 'fastify-api', stopTimeout: '10s' })
export class FastifyApi extends GracefulHttpServer {
  constructor(
    @inject(App) private readonly app: App,
    @inject(Enricher) private readonly enricher: Enricher,
    @inject(RegisterAction) private readonly register: RegisterAction,
    @inject(Logger) private readonly logger: Logger,
    @inject(HttpSettings) settings: HttpSettings,
  ) {
    super({ port: settings.port, host: settings.host, drainTimeout: '8s' });
  }

  protected handler(): FastifyInstance {
    const api = Fastify();
    void api.register(ordoFastify, { app: this.app, health: true });
    // The request's id, in the async context of everything the request does, `after()` work included.
    api.addHook('onRequest', (request, _reply, next) => {
      const header = request.headers['x-request-id'];
      requestValues.run({ requestId: typeof header === 'string' ? header : randomUUID() }, next);
    });
    api.get<{ Params: { id: string } }>('/users/:id', (request) => this.enricher.enrichedUser(request.params.id));
    api.post<{ Body: RegisterInput }>('/register', async (request, reply) =>
      reply.code(201).send(await this.register.call(request.body)),
    );
    api.setErrorHandler((error: Error, _request, reply) => {
      if (/exists/.test(error.message)) return reply.code(409).send({ error: error.message });
      this.logger.error({ err: error }, 'request failed');
      return reply.code(500).send({ error: 'internal error' });
    });
    api.addHook('onClose', async () => this.logger.info({}, 'fastify closed'));
    return api;
  }
}

@Module({
  imports: [RegisterModule],
  components: [FastifyApi],
  providers: [Upstream, Users, Posts, Subscriptions, Enricher, { provide: HttpSettings, useValue: new HttpSettings() }],
})
export class FastifyApiModule {}

/** Creates the sample app; `print` receives its log lines. */
export function createFastifyApiApp(
  options: { print?: (line: string) => void; clock?: Clock; analytics?: AnalyticsSettings; http?: HttpSettings } = {},
): Promise<App> {
  const overrides: Array<[ServiceIdentifier, unknown]> = [[Logger, new PrintLogger(options.print)]];
  if (options.clock) overrides.push([Clock, options.clock]);
  if (options.analytics) overrides.push([AnalyticsSettings, options.analytics]);
  if (options.http) overrides.push([HttpSettings, options.http]);
  return Ordo.create(FastifyApiModule, { overrides });
}
