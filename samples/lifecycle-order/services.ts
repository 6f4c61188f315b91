/**
 * Three components in a chain: a database, a cache that needs it, and an HTTP server that needs both.
 * Ordo starts them in that order and stops them in reverse, so the server stops taking requests before the
 * cache and the database it uses go away.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'inversify';
import { Clock, Component, HealthCheck, Logger, OnStart, OnStop } from '../../src/index.js';
import { closeServer, serve } from '../shared/close-server.js';

@Component({ name: 'database', startTimeout: '5s' })
export class Database {
  #connected = false;
  constructor(@inject(Clock) private readonly clock: Clock) {}

  @OnStart() async connect(signal: AbortSignal): Promise<void> {
    await this.clock.sleep('20ms', signal);
    this.#connected = true;
  }

  @OnStop() async disconnect(): Promise<void> {
    this.#connected = false;
  }

  @HealthCheck() check() {
    return this.#connected ? 'up' : 'down';
  }

  query(sql: string): { sql: string; rows: number } {
    if (!this.#connected) throw new Error('database is not connected');
    return { sql, rows: 1 };
  }
}

@Component({ name: 'cache' })
export class Cache {
  readonly #entries = new Map<string, unknown>();
  constructor(@inject(Database) private readonly database: Database) {}

  @OnStart() warm(): void {
    this.#entries.set('greeting', this.database.query('select greeting'));
  }

  @OnStop() flush(): void {
    this.#entries.clear();
  }

  get(key: string): unknown {
    return this.#entries.get(key);
  }
}

/** Settings of the HTTP server; port 0 picks a free port. */
export class HttpSettings {
  constructor(readonly port = 0) {}
}

@Component({ name: 'http-server', stopTimeout: '5s' })
export class HttpServer {
  #server?: Server;
  constructor(
    @inject(Cache) private readonly cache: Cache,
    @inject(HttpSettings) private readonly settings: HttpSettings,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** The port once listening. */
  get port(): number {
    return (this.#server?.address() as AddressInfo).port;
  }

  @OnStart() async listen(): Promise<void> {
    this.#server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.cache.get('greeting')));
    });
    await serve(this.#server, this.settings.port);
    this.logger.info({ port: this.port }, 'http server listening');
  }

  @OnStop() async close(signal: AbortSignal): Promise<void> {
    await closeServer(this.#server, signal);
  }
}
