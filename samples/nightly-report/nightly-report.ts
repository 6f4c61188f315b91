/**
 * The seed's NightlyReport, declared instead of hand-written: where the seed spawns a goroutine over an hourly
 * ticker in `OnStart`, cancels it in `OnStop`, and checks the wall clock itself for "every Tuesday at 03:00", here
 * an `@Every('1h')` method refreshes the report's figures and a `@Cron` with a time zone writes the weekly report.
 * The scheduler starts both once every component started and stops them, draining a run in flight, before the
 * database they use closes.
 */
import { inject } from 'inversify';
import {
  Clock,
  Component,
  Cron,
  Every,
  Logger,
  Module,
  OnStart,
  OnStop,
  Ordo,
  VirtualClock,
  type App,
  type Duration,
  type ScheduleRunContext,
} from '../../src/index.js';
import { PrintLogger } from '../shared/print-logger.js';

/** How long the sample's fake queries take, on the app's Clock. */
export class ReportTimings {
  constructor(
    readonly refresh: Duration = '2s',
    readonly weeklyReport: Duration = '5m',
  ) {}
}

/** The sample's database: opened at start, closed at stop; a query on a closed one fails. */
@Component({ name: 'database' })
export class Database {
  open = false;
  readonly queriesAfterClose: string[] = [];

  constructor(@inject(Clock) private readonly clock: Clock) {}

  @OnStart() connect(): void {
    this.open = true;
  }

  @OnStop() close(): void {
    this.open = false;
  }

  async query(what: string, takes: Duration, signal: AbortSignal): Promise<void> {
    if (!this.open) this.queriesAfterClose.push(what);
    await this.clock.sleep(takes, signal);
    if (!this.open) this.queriesAfterClose.push(what);
  }
}

/** The report: figures refreshed every hour, written out every Tuesday at 03:00 in Berlin. */
@Component({ name: 'nightly-report' })
export class NightlyReport {
  readonly refreshes: Date[] = [];
  readonly reports: Array<{ at: Date; from: Date | undefined }> = [];

  constructor(
    private readonly database: Database,
    @inject(ReportTimings) private readonly timings: ReportTimings,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  @Every('1h', { timeout: '10m' })
  async refresh({ scheduledAt, signal }: ScheduleRunContext): Promise<void> {
    await this.database.query('refresh figures', this.timings.refresh, signal);
    this.refreshes.push(scheduledAt);
  }

  @Cron('0 3 * * TUE', { timeZone: 'Europe/Berlin', timeout: '30m' })
  async weekly({ scheduledAt, previousAt, signal }: ScheduleRunContext): Promise<void> {
    await this.database.query('weekly report', this.timings.weeklyReport, signal);
    this.reports.push({ at: scheduledAt, from: previousAt });
    this.logger.info({ at: scheduledAt.toISOString() }, 'weekly report written');
  }
}

@Module({ components: [Database, NightlyReport], providers: [ReportTimings] })
export class NightlyReportModule {}

/** Options of {@link createNightlyReportApp}. */
export interface NightlyReportOptions {
  readonly clock?: Clock;
  readonly print?: (line: string) => void;
  readonly timings?: ReportTimings;
}

/** The sample's app, on the given clock (a VirtualClock in its test and its `main`). */
export async function createNightlyReportApp(options: NightlyReportOptions = {}): Promise<App> {
  const app = await Ordo.create(NightlyReportModule, {
    overrides: [
      [Clock, options.clock ?? new VirtualClock()],
      [Logger, new PrintLogger(options.print)],
      ...(options.timings ? [[ReportTimings, options.timings] as const] : []),
    ],
  });
  return app;
}
