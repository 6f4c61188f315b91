import { Logger, Module, Ordo, type App, type CreateOptions } from '../../src/index.js';
import { PrintLogger } from '../shared/print-logger.js';
import { Cache, Database, HttpServer, HttpSettings } from './services.js';

@Module({
  components: [HttpServer, Cache, Database],
  providers: [{ provide: HttpSettings, useValue: new HttpSettings() }],
})
export class LifecycleOrderModule {}

/** Creates the sample app; `print` receives its log lines. */
export function createLifecycleApp(
  print: (line: string) => void = console.log,
  options: CreateOptions = {},
): Promise<App> {
  return Ordo.create(LifecycleOrderModule, {
    ...options,
    overrides: [[Logger, new PrintLogger(print)], ...(options.overrides ?? [])],
  });
}
