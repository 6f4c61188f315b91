/** The Ordo side of the bootstrap benchmark: `@Component`s with `@OnStart`/`@OnStop`, one `@Module`, create, start, stop. */
import { inject } from 'inversify';
import { Component, Logger, Module, OnStart, OnStop, Ordo, SilentLogger } from '../../src/index.js';
import { generateClasses, method, type Graph, type HookCounter, type HookStyle, type Outcome } from './graphs.js';

const silent = new SilentLogger();

/** Generates the graph's classes as Ordo components (not timed: decorators run when a real app's modules load). */
export function ordoClasses(graph: Graph, counter: HookCounter, style: HookStyle): Array<new () => object> {
  return generateClasses(graph, counter, style, (type, dependencies) => {
    Component()(type);
    OnStart()(...method(type, 'start'));
    OnStop()(...method(type, 'stop'));
    dependencies.forEach((dependency, index) => inject(dependency)(type, undefined, index));
  }) as Array<new () => object>;
}

/** Creates, starts and stops one app of `components`, timing each phase. */
export async function bootOrdo(components: ReadonlyArray<new () => object>, counter: HookCounter): Promise<Outcome> {
  class AppModule {}
  Module({ components: [...components] })(AppModule);

  const began = performance.now();
  const app = await Ordo.create(AppModule, { overrides: [[Logger, silent]] });
  const created = performance.now();
  await app.start();
  const started = performance.now();
  const report = await app.stop();
  const stopped = performance.now();

  if (!report.ok) throw new Error(`Ordo did not stop cleanly: ${JSON.stringify(report.failed)}`);
  return { ms: stopped - began, phases: [created - began, started - created, stopped - started], hooks: counter.calls };
}

/** Generates the graph's classes afresh, then boots them once. */
export async function runOrdo(graph: Graph, style: HookStyle): Promise<Outcome> {
  const counter: HookCounter = { calls: 0 };
  return bootOrdo(ordoClasses(graph, counter, style), counter);
}
