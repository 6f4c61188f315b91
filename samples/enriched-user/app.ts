import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'inversify';
import { App, Component, Logger, Module, OnStart, OnStop, Ordo, type CreateOptions } from '../../src/index.js';
import { closeServer, serve } from '../shared/close-server.js';
import { PrintLogger } from '../shared/print-logger.js';
import { Enricher, Posts, Subscriptions, Upstream, Users } from './services.js';

/** `GET /users/:id` answers the enriched user, computed in one request scope per request. */
@Component({ name: 'http-api' })
export class HttpApi {
  #server?: Server;
  constructor(
    @inject(App) private readonly app: App,
    @inject(Enricher) private readonly enricher: Enricher,
    @inject(Upstream) private readonly upstream: Upstream,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  get port(): number {
    return (this.#server!.address() as AddressInfo).port;
  }

  @OnStart() async listen(): Promise<void> {
    this.#server = createServer((request, response) => void this.handle(request, response));
    await serve(this.#server, 0);
    this.logger.info({ port: this.port }, 'enriched-user api listening');
  }

  @OnStop() async close(signal: AbortSignal): Promise<void> {
    await closeServer(this.#server, signal);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/users\/(\w+)$/.exec(request.url ?? '');
    if (!match) {
      response.writeHead(404).end();
      return;
    }
    // One scope per request, cancelled if the client goes away.
    const abort = new AbortController();
    response.on('close', () => abort.abort(new Error('client closed the connection')));
    const before = this.upstream.callsTo(`user:${match[1]}`);
    try {
      const enriched = await this.app.runInScope(() => this.enricher.enrichedUser(match[1]!), { signal: abort.signal });
      const userFetches = this.upstream.callsTo(`user:${match[1]}`) - before;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...enriched, userFetches }));
    } catch (error) {
      response.writeHead(500).end(JSON.stringify({ error: String(error) }));
    }
  }
}

@Module({ components: [HttpApi], providers: [Upstream, Users, Posts, Subscriptions, Enricher] })
export class EnrichedUserModule {}

/** Creates the sample app; `print` receives its log lines. */
export function createEnrichedUserApp(
  print: (line: string) => void = console.log,
  options: CreateOptions = {},
): Promise<App> {
  return Ordo.create(EnrichedUserModule, {
    ...options,
    overrides: [[Logger, new PrintLogger(print)], ...(options.overrides ?? [])],
  });
}
