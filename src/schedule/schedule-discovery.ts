import type { Container, ServiceIdentifier } from 'inversify';
import { bindingReaderOf, describeIdentifier, implementationOf } from '../core/internal.js';
import { ConfigurationError } from '../errors/index.js';
import { hasSchedules, scheduledMethodsOf, type ScheduleDeclaration } from './schedule-decorators.js';
import { checkName, checkSchedule, type CheckedSchedule } from './schedule-spec.js';

/** A scheduled method found on a singleton bound in the container, its declaration checked. */
export interface DiscoveredSchedule {
  /** The identifier its instance is resolved by at start. */
  readonly id: ServiceIdentifier;
  /** The method's property key. */
  readonly method: string | symbol;
  readonly schedule: CheckedSchedule;
  /** What declared it, for messages: `@Every("1h") on Reports.nightly`. */
  readonly where: string;
}

/**
 * Finds every `@Every`/`@Cron` method on what the container binds, and checks it: the explorer of the scheduler.
 * Resolves nothing.
 *
 * @throws ConfigurationError for misuse of the decorators, an invalid declaration, a schedule on a provider that
 * is not a singleton, and two schedules with one name.
 */
export function discoverSchedules(container: Container): DiscoveredSchedule[] {
  const reader = bindingReaderOf(container);
  const found: DiscoveredSchedule[] = [];
  const names = new Map<string, string>();
  for (const id of reader.boundServices()) {
    for (const binding of reader.bindingsOf(id)) {
      const madeByFunction = binding.type === 'DynamicValue' || binding.type === 'ResolvedValue';
      const type = madeByFunction ? (typeof id === 'function' ? id : undefined) : implementationOf(binding);
      if (type === undefined || !hasSchedules(type)) continue;
      const { methods, problems } = scheduledMethodsOf(type);
      const problem = problems[0];
      if (problem) throw new ConfigurationError('ORDO_INVALID_SCHEDULE', problem.message);
      if (methods.length === 0) continue;
      const scope = 'scope' in binding ? binding.scope : 'Singleton';
      if (scope !== 'Singleton') refuseScope(type.name, methods[0]!.method, id, scope);
      for (const { method, declaration } of methods) {
        const where = `${label(declaration)} on ${type.name}.${String(method)}`;
        const name = checkName(declaration.options.name ?? `${type.name}.${String(method)}`, where);
        const clash = names.get(name);
        if (clash !== undefined) {
          throw new ConfigurationError(
            'ORDO_DUPLICATE_SCHEDULE_NAME',
            `Two schedules are named "${name}": ${clash} and ${where}; give one a name with { name }`,
          );
        }
        names.set(name, where);
        found.push({ id, method, schedule: checkSchedule(declaration, name, where), where });
      }
    }
  }
  return found;
}

/** What a decorator looked like, for messages: `@Cron("0 3 * * *")`. */
export function label(declaration: ScheduleDeclaration): string {
  return declaration.kind === 'every'
    ? `@Every(${typeof declaration.period === 'string' ? JSON.stringify(declaration.period) : String(declaration.period)})`
    : `@Cron(${JSON.stringify(declaration.expression) ?? String(declaration.expression)})`;
}

function refuseScope(className: string, method: string | symbol, id: ServiceIdentifier, scope: string): never {
  const why =
    scope === 'Request'
      ? 'a request-scoped provider has one instance per request, and a schedule runs outside any request'
      : 'a transient provider is a new instance at every resolution, so no instance would be the one the schedule runs on';
  throw new ConfigurationError(
    'ORDO_SCHEDULE_SCOPE',
    `${className}.${String(method)} has a schedule, but ${className} is bound to ${describeIdentifier(id)} in ${scope} scope: ${why}. ` +
      'Bind it with .inSingletonScope(), or move the scheduled method to a singleton that creates what it needs per run',
  );
}
