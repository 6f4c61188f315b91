/** The NestJS side of the bootstrap benchmark: `@Injectable` providers with `onModuleInit`/`onModuleDestroy`, one `@Module`. */
import { Inject, Injectable, Module as NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { generateClasses, type Graph, type HookCounter, type Outcome } from './graphs.js';

/** Who the peer is, as the table prints it. */
export const NEST = '@nestjs/core 12';

/** Generates the graph's classes as NestJS providers (not timed). */
export function nestClasses(graph: Graph, counter: HookCounter): Array<new () => object> {
  return generateClasses(graph, counter, 'plain', (type, dependencies) => {
    Injectable()(type);
    dependencies.forEach((dependency, index) => Inject(dependency)(type, undefined as never, index));
  }) as Array<new () => object>;
}

/** Creates (which initialises) and closes one application context of `providers`, timing each phase. */
export async function bootNest(providers: ReadonlyArray<new () => object>, counter: HookCounter): Promise<Outcome> {
  class AppModule {}
  NestModule({ providers: [...providers] })(AppModule);

  const began = performance.now();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  const created = performance.now();
  await app.close();
  const closed = performance.now();

  return { ms: closed - began, phases: [created - began, closed - created], hooks: counter.calls };
}

/** Generates the graph's classes afresh, then boots them once. */
export async function runNest(graph: Graph): Promise<Outcome> {
  const counter: HookCounter = { calls: 0 };
  return bootNest(nestClasses(graph, counter), counter);
}
