import type { Duration } from '../time/index.js';
import type { CronOptions, EveryOptions, ScheduledFn } from './schedule-options.js';

/** A method decorator that compiles only on a method Ordo can call with a run context. */
export type ScheduleDecorator = <T extends ScheduledFn>(
  target: object,
  method: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
) => void;

/** What one decorator recorded, as written: nothing is checked until `Ordo.create()`. */
export type ScheduleDeclaration =
  | { readonly kind: 'every'; readonly period: Duration; readonly options: EveryOptions }
  | { readonly kind: 'cron'; readonly expression: string; readonly options: CronOptions };

/** A method with a schedule, found on a class or one of its bases. */
export interface ScheduledMethod {
  /** The class the decorator was on. */
  readonly declaredOn: object;
  /** The method's property key. */
  readonly method: string | symbol;
  readonly declaration: ScheduleDeclaration;
}

/** Misuse found while decorating, reported by `Ordo.create()` so that importing a module never throws. */
export interface DecorationProblem {
  readonly message: string;
}

interface OwnSchedules {
  readonly methods: Map<string | symbol, ScheduleDeclaration[]>;
  readonly problems: DecorationProblem[];
}

const schedulesByClass = new WeakMap<object, OwnSchedules>();

function own(type: object): OwnSchedules {
  let found = schedulesByClass.get(type);
  if (!found) {
    found = { methods: new Map(), problems: [] };
    schedulesByClass.set(type, found);
  }
  return found;
}

function scheduleDecorator(label: string, declaration: ScheduleDeclaration): ScheduleDecorator {
  return (prototype, method, descriptor) => {
    if (typeof prototype === 'function') {
      own(prototype).problems.push({
        message: `${label} on static ${prototype.name}.${String(method)}: schedules run instance methods`,
      });
      return;
    }
    const type = (prototype as { constructor: object }).constructor;
    const where = `${(type as { name?: string }).name ?? 'anonymous class'}.${String(method)}`;
    if (typeof descriptor?.value !== 'function') {
      own(type).problems.push({ message: `${label} on ${where}: it is not a method` });
      return;
    }
    const methods = own(type).methods;
    methods.set(method, [...(methods.get(method) ?? []), declaration]);
  };
}

/**
 * Runs the method every `period`, counted from the moment schedules start (once every component started).
 * Only records metadata: `Ordo.create()` checks it, and the app's scheduler runs it on the app's Clock.
 *
 * @example
 * ```ts
 * @Component()
 * class Cache {
 *   @Every('10m', { immediate: true })
 *   async refresh({ signal }: ScheduleRunContext) { await this.reload(signal); }
 * }
 * ```
 */
export function Every(period: Duration, options: EveryOptions = {}): ScheduleDecorator {
  return scheduleDecorator(`@Every(${describe(period)})`, { kind: 'every', period, options: { ...options } });
}

/**
 * Runs the method at the times a cron expression gives (croner's syntax: 5 fields, or 6 with seconds), in
 * `timeZone` if given. Day of month and day of week combine with OR, as in classic cron; `+` before the weekday
 * field makes it AND. Only records metadata, as {@link Every} does.
 *
 * @example
 * ```ts
 * @Cron('0 3 * * TUE', { timeZone: 'Europe/Berlin' })
 * async weeklyReport({ scheduledAt }: ScheduleRunContext) { ... }
 * ```
 */
export function Cron(expression: string, options: CronOptions = {}): ScheduleDecorator {
  return scheduleDecorator(`@Cron(${describe(expression)})`, { kind: 'cron', expression, options: { ...options } });
}

/**
 * The scheduled methods of `type` and its bases, nearest first; a method redeclared lower down hides the
 * schedules its name had above, as an override does. Also the misuse found while decorating.
 */
export function scheduledMethodsOf(type: object): { methods: ScheduledMethod[]; problems: DecorationProblem[] } {
  const methods: ScheduledMethod[] = [];
  const problems: DecorationProblem[] = [];
  const claimedBelow = new Set<string | symbol>();
  for (let level: object | null = type; level && level !== Function.prototype; level = Object.getPrototypeOf(level)) {
    const found = schedulesByClass.get(level);
    if (!found) continue;
    problems.push(...found.problems);
    for (const [method, declarations] of found.methods) {
      if (claimedBelow.has(method)) continue;
      claimedBelow.add(method);
      for (const declaration of declarations) methods.push({ declaredOn: level, method, declaration });
    }
  }
  return { methods, problems };
}

/** True when `type` or a base class has a scheduled method, or misuse of the decorators. */
export function hasSchedules(type: object): boolean {
  for (let level: object | null = type; level && level !== Function.prototype; level = Object.getPrototypeOf(level)) {
    if (schedulesByClass.has(level)) return true;
  }
  return false;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
