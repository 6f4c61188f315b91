// A program that is sent SIGTERM while it starts (see sigterm-during-start.test.ts). It follows the README:
// `app.enableShutdownHooks(); await app.start()` at the top level. Its warm-up honours its signal, or, with
// `ignores` as argument, ignores it: the stop then gives up on it at the one-second shutdown budget.
import { inject } from 'inversify';
import { Clock, Component, Module, OnStart, OnStop, Ordo } from '../../../src/index.js';

const ignoresSignal = process.argv[2] === 'ignores';

@Component()
class Database {
  @OnStop() close() {
    console.log('database closed');
  }
}

@Component({ dependsOn: [Database] })
class Warmup {
  constructor(@inject(Clock) private readonly clock: Clock) {}
  @OnStart() async warm(signal: AbortSignal) {
    console.log('warming up');
    await (ignoresSignal ? this.clock.sleep('1m') : this.clock.sleep('1m', signal));
  }
}

@Module({ components: [Database, Warmup] })
class AppModule {}

const app = await Ordo.create(AppModule, { shutdownTimeout: '1s' });
app.enableShutdownHooks();
await app.start();
console.log('started');
