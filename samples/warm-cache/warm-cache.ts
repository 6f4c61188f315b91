/**
 * The seed's WarmCacheComponent: a one-shot task at startup. Its `@OnStart` prefetches popular keys before the
 * HTTP server that depends on it starts; if the prefetch fails, the boot aborts, and the components that had
 * started (the store) are stopped again.
 */
import { inject, type ServiceIdentifier } from 'inversify';
import { Clock, Component, Logger, Module, OnStart, OnStop, Ordo, StartupError, type App } from '../../src/index.js';
import { PrintLogger } from '../shared/print-logger.js';

/** Settings of the sample's fake cache backend. */
export class StoreSettings {
  constructor(readonly failPrefetch: boolean) {}
}

/** A cache backend that takes 50 ms (on the Clock) per key and can be told to fail. */
@Component({ name: 'cache-store' })
export class CacheStore {
  readonly entries = new Map<string, string>();
  constructor(
    @inject(Clock) private readonly clock: Clock,
    @inject(StoreSettings) private readonly settings: StoreSettings,
  ) {}

  @OnStart() connect(): void {}
  @OnStop() disconnect(): void {
    this.entries.clear();
  }

  async prefetch(keys: readonly string[], signal: AbortSignal): Promise<void> {
    for (const key of keys) {
      await this.clock.sleep('50ms', signal);
      if (this.settings.failPrefetch && key === 'pricing') throw new Error(`upstream refused key "${key}"`);
      this.entries.set(key, `value of ${key}`);
    }
  }
}

/** Keys worth having before the first request. */
export function popularKeys(): string[] {
  return ['home', 'pricing', 'docs'];
}

@Component({ name: 'warm-cache' })
export class WarmCacheComponent {
  constructor(@inject(CacheStore) private readonly store: CacheStore) {}

  @OnStart() start(signal: AbortSignal): Promise<void> {
    return this.store.prefetch(popularKeys(), signal);
  }
}

/** Stands in for the HTTP server: it must only start once the cache is warm. */
@Component({ name: 'http', dependsOn: [WarmCacheComponent] })
export class HttpServer {
  constructor(@inject(Logger) private readonly logger: Logger) {}
  @OnStart() listen(): void {
    this.logger.info({ port: 8080 }, 'serving traffic');
  }
  @OnStop() close(): void {}
}

@Module({
  components: [CacheStore, WarmCacheComponent, HttpServer],
  providers: [{ provide: StoreSettings, useValue: new StoreSettings(false) }],
})
export class WarmCacheModule {}

/** Boots the sample once and stops it; returns whether it booted and the lines it logged. */
export async function runWarmCache(options: {
  failPrefetch: boolean;
  print?: (line: string) => void;
  clock?: Clock;
}): Promise<{ booted: boolean; error?: StartupError; app: App }> {
  const overrides: Array<[ServiceIdentifier, unknown]> = [
    [StoreSettings, new StoreSettings(options.failPrefetch)],
    [Logger, new PrintLogger(options.print)],
  ];
  if (options.clock) overrides.push([Clock, options.clock]);
  const app = await Ordo.create(WarmCacheModule, { overrides });
  try {
    await app.start();
  } catch (error) {
    if (error instanceof StartupError) return { booted: false, error, app };
    throw error;
  }
  await app.stop('sample finished');
  return { booted: true, app };
}
