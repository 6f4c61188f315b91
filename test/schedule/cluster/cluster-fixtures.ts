import { inject } from 'inversify';
import {
  Component,
  Cron,
  Every,
  Jobs,
  VirtualClock,
  type App,
  type JobInfo,
  type ScheduleRunContext,
} from '../../../src/index.js';
import { appOf } from '../../support/app-fixtures.js';

/** Which app instance a component belongs to, bound per app. */
export const INSTANCE = Symbol('instance');

/** One run of a tick: the instance that ran it and its run context's instants. */
export interface TickRun {
  readonly instance: string;
  readonly scheduledAt: number;
  readonly previousAt: number | undefined;
  readonly nextAt: number | undefined;
}

/** Every run of every instance, in order; cleared by {@link clusterApps}. */
export const runs: TickRun[] = [];

function record(instance: string, context: ScheduleRunContext): void {
  runs.push({
    instance,
    scheduledAt: context.scheduledAt.getTime(),
    previousAt: context.previousAt?.getTime(),
    nextAt: context.nextAt?.getTime(),
  });
}

/** A cluster schedule every minute. */
@Component()
export class Rollup {
  constructor(@inject(INSTANCE) readonly instance: string) {}

  @Every('1m', { cluster: true, name: 'rollup' })
  run(context: ScheduleRunContext): void {
    record(this.instance, context);
  }
}

/** A cluster cron every five minutes. */
@Component()
export class Report {
  constructor(@inject(INSTANCE) readonly instance: string) {}

  @Cron('*/5 * * * *', { cluster: true, name: 'report', timeZone: 'UTC' })
  run(context: ScheduleRunContext): void {
    record(this.instance, context);
  }
}

/** Two app instances on one SQLite file and one VirtualClock, each with the given components, started. */
export async function clusterApps(
  db: string,
  classes: Array<new (...args: never[]) => unknown>,
  clock = new VirtualClock(),
): Promise<{ apps: App[]; clock: VirtualClock; stop(): Promise<void> }> {
  runs.length = 0;
  const apps: App[] = [];
  for (const instance of ['a', 'b']) {
    const { app } = await appOf(classes, {
      clock,
      overrides: [[INSTANCE, instance]],
      jobs: { sqlite: { path: db, synchronous: 'NORMAL', pollInterval: '1s', lease: '30s' } },
    });
    apps.push(app);
  }
  for (const app of apps) await app.start();
  return {
    apps,
    clock,
    async stop() {
      for (const app of apps) await app.stop();
    },
  };
}

/** The tick jobs an app's `Jobs` lists for a schedule. */
export async function tickJobs(app: App, schedule: string): Promise<readonly JobInfo[]> {
  const page = await app.get(Jobs).list({ name: `ordo.schedule:${schedule}`, limit: 1000 });
  return page.jobs;
}

/** The slots from `from` (exclusive) to `to` (inclusive) every `period` ms since the epoch. */
export function slotsBetween(from: number, to: number, period: number): number[] {
  const slots: number[] = [];
  for (let slot = (Math.floor(from / period) + 1) * period; slot <= to; slot += period) slots.push(slot);
  return slots;
}
