/**
 * Scheduled work against @nestjs/schedule 12, the peer Ordo's users come from.
 *
 * (a) Registering 100,000 `@Every` schedules (1,000 components of 100 methods each) and starting the app on the
 *     system clock: heap bytes per schedule and host timers armed, against NestJS with the same methods under
 *     `@Interval`. Each side runs in its own child process started with `--expose-gc`, so neither sees the other's
 *     heap.
 * (b) One virtual year of 1,000 mixed jobs (500 `@Every` from 4 h to 4 d, 500 daily or weekly `@Cron` in UTC), each
 *     run an async method that awaits once. Ordo runs them on a VirtualClock advanced by a year; NestJS runs the same
 *     jobs under @sinonjs/fake-timers installed on the globals (the only way to test @nestjs/schedule) and
 *     `tickAsync`. Both must count the same runs. Each side warms up on a virtual week, in a fresh app each time;
 *     Ordo's year then runs three times and NestJS's once, since it takes minutes: fake-timers' `tickAsync` yields
 *     to the real event loop between timers.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Injectable, Module as NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Cron as NestCron, Interval as NestInterval, ScheduleModule } from '@nestjs/schedule';
import { install } from '@sinonjs/fake-timers';
import {
  Clock,
  Component,
  Cron,
  Every,
  Module,
  Ordo,
  SilentLogger,
  Logger,
  VIRTUAL_CLOCK_EPOCH,
  VirtualClock,
  override,
  type AnyClass,
} from '../src/index.js';
import { type BenchRow, median } from './report.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;
/** The warm-up's span: a week, since one virtual year costs NestJS under fake-timers minutes. */
const WARM_UP = 7 * DAY;
const ROUNDS = 3;
/** NestJS's year runs once: it takes minutes (fake-timers yields to the real event loop between timers). */
const NEST_ROUNDS = 1;

/** The jobs of part (b): half periodic, half cron, spread so that no two share a slot pattern. */
const EVERY_PERIODS = Array.from({ length: 500 }, (_, i) => Math.round(4 * HOUR + ((4 * DAY - 4 * HOUR) * i) / 499));
const CRON_EXPRESSIONS = Array.from({ length: 500 }, (_, i) => {
  const minute = i % 60;
  const hour = Math.floor(i / 60) % 24;
  return i % 2 === 0 ? `${minute} ${hour} * * *` : `${minute} ${hour} * * ${i % 7}`;
});

interface YearOutcome {
  ms: number;
  runs: number;
}

/** Defines `count` methods named m0..m(count-1) on a class, each counting its run after one await. */
function countingMethods(target: AnyClass, count: number, onRun: () => void): string[] {
  const names = Array.from({ length: count }, (_, i) => `m${i}`);
  for (const name of names) {
    Object.defineProperty(target.prototype, name, {
      value: async function run(): Promise<void> {
        await Promise.resolve();
        onRun();
      },
      writable: true,
      configurable: true,
    });
  }
  return names;
}

function decorate(target: AnyClass, name: string, decorator: MethodDecorator): void {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name)!;
  const result = decorator(target.prototype, name, descriptor);
  if (result) Object.defineProperty(target.prototype, name, result);
}

/**
 * The class of part (b): 1,000 counting methods, the first 500 decorated with `every(period)`, the rest with
 * `cron(expression)` in UTC.
 */
function yearlyJobs(
  every: (period: number) => MethodDecorator,
  cron: (expression: string) => MethodDecorator,
  onRun: () => void,
): AnyClass {
  class YearlyJobs {}
  countingMethods(YearlyJobs, 1_000, onRun).forEach((name, i) =>
    decorate(YearlyJobs, name, i < 500 ? every(EVERY_PERIODS[i]!) : cron(CRON_EXPRESSIONS[i - 500]!)),
  );
  return YearlyJobs;
}

async function ordoYear(span = YEAR): Promise<YearOutcome> {
  let runs = 0;
  const jobs = yearlyJobs(
    (period) => Every(period) as MethodDecorator,
    (expression) => Cron(expression, { timeZone: 'UTC' }) as MethodDecorator,
    () => runs++,
  );
  Component()(jobs);
  class YearModule {}
  Module({ components: [jobs] })(YearModule);

  const clock = new VirtualClock(VIRTUAL_CLOCK_EPOCH);
  const app = await Ordo.create(YearModule, {
    overrides: [override(Clock, clock), override(Logger, new SilentLogger())],
  });
  await app.start();
  const began = performance.now();
  await clock.advance(span);
  const ms = performance.now() - began;
  await app.stop();
  return { ms, runs };
}

async function nestYear(span = YEAR): Promise<YearOutcome> {
  const clock = install({
    now: VIRTUAL_CLOCK_EPOCH,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  try {
    let runs = 0;
    const jobs = yearlyJobs(
      (period) => NestInterval(period),
      (expression) => NestCron(expression, { timeZone: 'UTC' }),
      () => runs++,
    );
    Injectable()(jobs);
    class YearModule {}
    NestModule({ imports: [ScheduleModule.forRoot()], providers: [jobs as never] })(YearModule);

    const app = await NestFactory.createApplicationContext(YearModule, { logger: false, abortOnError: false });
    const began = performance.now();
    await clock.tickAsync(span);
    const ms = performance.now() - began;
    await app.close();
    return { ms, runs };
  } finally {
    clock.uninstall();
  }
}

/** The runs a span from the epoch holds: floor(year / period) per periodic job, one per matching day per cron. */
function expectedRuns(span: number): number {
  const periodic = EVERY_PERIODS.reduce((sum, period) => sum + Math.floor(span / period), 0);
  let cron = 0;
  const start = new Date(VIRTUAL_CLOCK_EPOCH);
  CRON_EXPRESSIONS.forEach((expression, i) => {
    const [minute, hour, , , weekday] = expression.split(' ');
    for (let day = 0; day <= 365; day++) {
      const at = new Date(start.getTime() + day * DAY + Number(hour) * HOUR + Number(minute) * 60_000);
      if (at.getTime() <= VIRTUAL_CLOCK_EPOCH || at.getTime() > VIRTUAL_CLOCK_EPOCH + span) continue;
      if (i % 2 === 1 && at.getUTCDay() !== Number(weekday)) continue;
      cron++;
    }
  });
  return periodic + cron;
}

function checkRuns(who: string, outcome: YearOutcome, expected: number): void {
  if (outcome.runs !== expected) {
    throw new Error(`${who} ran ${outcome.runs} jobs in one virtual year; expected ${expected}`);
  }
}

const REGISTERED_COMPONENTS = 1_000;
const METHODS_PER_COMPONENT = 100;
const REGISTERED = REGISTERED_COMPONENTS * METHODS_PER_COMPONENT;

interface RegistrationOutcome {
  bytesPerSchedule: number;
  hostTimers: number;
  registerMs: number;
}

function hostTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function manyClasses(decorator: (i: number) => MethodDecorator, mark: (target: AnyClass) => void): AnyClass[] {
  return Array.from({ length: REGISTERED_COMPONENTS }, (_, c) => {
    const target = class {};
    Object.defineProperty(target, 'name', { value: `Registered${c}` });
    for (const name of countingMethods(target, METHODS_PER_COMPONENT, () => {})) decorate(target, name, decorator(c));
    mark(target);
    return target;
  });
}

/**
 * Measures `register` (which builds and starts an app, and returns how to stop it): the heap it keeps per schedule,
 * the host timers it armed, and its time.
 */
async function measureRegistration(register: () => Promise<() => Promise<unknown>>): Promise<RegistrationOutcome> {
  const timersBefore = hostTimers();
  const heapBefore = heapAfterGc();
  const began = performance.now();
  const stop = await register();
  const registerMs = performance.now() - began;
  const outcome = {
    bytesPerSchedule: (heapAfterGc() - heapBefore) / REGISTERED,
    hostTimers: hostTimers() - timersBefore,
    registerMs,
  };
  await stop();
  return outcome;
}

/** Part (a) in this process; run with --expose-gc. Periods are hours, so nothing fires while it measures. */
async function registration(side: 'ordo' | 'nest'): Promise<RegistrationOutcome> {
  const period = (c: number): number => HOUR + c * 1_000;
  if (side === 'ordo') {
    const classes = manyClasses(
      (c) => Every(period(c)) as MethodDecorator,
      (target) => Component()(target),
    );
    class RegisteredModule {}
    Module({ components: classes })(RegisteredModule);
    return measureRegistration(async () => {
      const app = await Ordo.create(RegisteredModule, { overrides: [override(Logger, new SilentLogger())] });
      await app.start();
      return () => app.stop();
    });
  }
  const classes = manyClasses(
    (c) => NestInterval(period(c)),
    (target) => Injectable()(target),
  );
  class RegisteredModule {}
  NestModule({ imports: [ScheduleModule.forRoot()], providers: classes as never[] })(RegisteredModule);
  return measureRegistration(async () => {
    const app = await NestFactory.createApplicationContext(RegisteredModule, { logger: false, abortOnError: false });
    return () => app.close();
  });
}

function registrationInChild(side: 'ordo' | 'nest'): RegistrationOutcome {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), 'registration', side], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`the ${side} registration run failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as RegistrationOutcome;
}

/** Alternates the sides of each part so that neither always runs on a warmer heap or a quieter machine. */
export async function benchmarks(): Promise<BenchRow[]> {
  const ordoRegistrations: RegistrationOutcome[] = [];
  const nestRegistrations: RegistrationOutcome[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['ordo', 'nest'] as const) : (['nest', 'ordo'] as const);
    for (const side of order) (side === 'ordo' ? ordoRegistrations : nestRegistrations).push(registrationInChild(side));
  }

  const warmUp = expectedRuns(WARM_UP);
  checkRuns('Ordo (warm-up week)', await ordoYear(WARM_UP), warmUp);
  checkRuns('NestJS (warm-up week)', await nestYear(WARM_UP), warmUp);
  const expected = expectedRuns(YEAR);
  const ordo: number[] = [];
  const nest: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const sides = round % 2 === 0 ? [ordoYear, nestYear] : [nestYear, ordoYear];
    for (const side of sides) {
      if (side === nestYear && nest.length >= NEST_ROUNDS) continue;
      const outcome = await side();
      checkRuns(side === ordoYear ? 'Ordo' : 'NestJS', outcome, expected);
      (side === ordoYear ? ordo : nest).push(outcome.ms);
    }
  }

  const medianOf = (outcomes: RegistrationOutcome[], pick: (o: RegistrationOutcome) => number): number =>
    median(outcomes.map(pick));
  const show = (values: number[]): string => values.map((value) => Math.round(value)).join(', ');
  const ordoTimers = ordoRegistrations.map((o) => o.hostTimers);
  const nestTimers = nestRegistrations.map((o) => o.hostTimers);
  const count = (n: number): string => n.toLocaleString('en-US');
  return [
    {
      benchmark: `${count(REGISTERED)} @Every schedules: heap per schedule`,
      ordo: medianOf(ordoRegistrations, (o) => o.bytesPerSchedule),
      peer: medianOf(nestRegistrations, (o) => o.bytesPerSchedule),
      peerName: '@nestjs/schedule @Interval',
      unit: 'B',
      note:
        `target <= 500 B per schedule; host timers armed: Ordo ${show(ordoTimers)} (target 1), ` +
        `NestJS ${show(nestTimers)}; median of ${ROUNDS} fresh processes each, alternating`,
    },
    {
      benchmark: `${count(REGISTERED)} @Every schedules: create + start`,
      ordo: medianOf(ordoRegistrations, (o) => o.registerMs),
      peer: medianOf(nestRegistrations, (o) => o.registerMs),
      peerName: '@nestjs/schedule @Interval',
      unit: 'ms',
      note: `Ordo ms: ${show(ordoRegistrations.map((o) => o.registerMs))}; NestJS ms: ${show(nestRegistrations.map((o) => o.registerMs))}`,
    },
    {
      benchmark: '1,000 mixed @Every/@Cron jobs through 1 virtual year',
      ordo: median(ordo),
      peer: median(nest),
      peerName: '@nestjs/schedule + fake-timers tickAsync',
      unit: 'ms',
      note:
        `target Ordo >= 2x faster; both ran ${count(expected)} jobs per run, after a virtual week's warm-up each; ` +
        `Ordo: median of ${ROUNDS} runs (ms: ${show(ordo)}); NestJS: ${NEST_ROUNDS} run, it takes minutes (ms: ${show(nest)})`,
    },
  ];
}

if (process.argv[2] === 'registration') {
  const side = process.argv[3] === 'nest' ? 'nest' : 'ordo';
  process.stdout.write(`${JSON.stringify(await registration(side))}\n`);
  process.exit(0);
}
