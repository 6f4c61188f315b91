/**
 * The seed's "global context + TTL for thundering herd prevention": every request needs the remote config, the
 * upstream is slow, and a burst of requests must cause one upstream call per five minutes, not one per request.
 */
import { Container, inject, injectable } from 'inversify';
import { Clock, currentTaskScope, Logger, Ordo, SilentLogger, Task, type App } from '../../src/index.js';

export interface RemoteConfig {
  readonly version: number;
  readonly flags: readonly string[];
}

/** A slow upstream: 200 ms per call on the Clock; counts its calls and the calls abandoned midway. */
@injectable()
export class ConfigUpstream {
  calls = 0;
  abandoned = 0;
  constructor(@inject(Clock) private readonly clock: Clock) {}

  /** Stops when `signal` aborts, as a real HTTP call given the signal would, so no one pays for unwanted work. */
  async fetch(signal?: AbortSignal): Promise<RemoteConfig> {
    const version = ++this.calls;
    try {
      await this.clock.sleep('200ms', signal);
    } catch (error) {
      this.abandoned++;
      throw error;
    }
    return { version, flags: ['new-checkout'] };
  }
}

@injectable()
export class ConfigClient {
  constructor(@inject(ConfigUpstream) private readonly upstream: ConfigUpstream) {}

  /**
   * Shared by every caller in the app for five minutes after each fetch completes. The run's signal aborts only
   * when every request waiting for it has gone away.
   */
  @Task({ scope: 'app', ttl: '5m' }) config(): Promise<RemoteConfig> {
    return this.upstream.fetch(currentTaskScope()?.signal);
  }
}

/** Creates the sample app, optionally on another clock. */
export function createHerdApp(clock?: Clock): Promise<App> {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(ConfigUpstream).toSelf();
  container.bind(ConfigClient).toSelf();
  return Ordo.create(container, {
    overrides: [[Logger, new SilentLogger()], ...(clock ? ([[Clock, clock]] as const) : [])],
  });
}

/**
 * `count` concurrent requests, each in its own request scope, all reading the config; `signal` stands for the
 * requests' connections (aborted when the clients go away).
 */
export function burst(app: App, count: number, signal?: AbortSignal): Promise<RemoteConfig[]> {
  const client = app.get(ConfigClient);
  return Promise.all(Array.from({ length: count }, () => app.runInScope(() => client.config(), { signal })));
}
