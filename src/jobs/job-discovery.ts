import type { Container, ServiceIdentifier } from 'inversify';
import { bindingReaderOf, describeIdentifier, implementationOf } from '../core/internal.js';
import { ConfigurationError } from '../errors/index.js';
import type { RandomSource } from './backoff.js';
import { hasJobs, jobMethodsOf } from './job-decorator.js';
import { checkJob, type CheckedJob } from './job-spec.js';

/** A `@Job` method found on a singleton bound in the container, its declaration checked. */
export interface DiscoveredJob {
  /** The identifier its instance is resolved by at start. */
  readonly id: ServiceIdentifier;
  /** The method's property key. */
  readonly method: string | symbol;
  readonly job: CheckedJob;
}

/**
 * Finds every `@Job` method on what the container binds, and checks it: the explorer of the job workers. Resolves
 * nothing.
 *
 * @throws ConfigurationError `ORDO_INVALID_JOB` for misuse of the decorator or an invalid option, `ORDO_JOB_SCOPE`
 * for a handler on a provider that is not a singleton, `ORDO_DUPLICATE_JOB` for two handlers of one name.
 */
export function discoverJobs(
  container: Container,
  random?: RandomSource,
  onInvalidBackoff?: (error: unknown) => void,
): DiscoveredJob[] {
  const reader = bindingReaderOf(container);
  const found: DiscoveredJob[] = [];
  const names = new Map<string, string>();
  for (const id of reader.boundServices()) {
    for (const binding of reader.bindingsOf(id)) {
      const madeByFunction = binding.type === 'DynamicValue' || binding.type === 'ResolvedValue';
      const type = madeByFunction ? (typeof id === 'function' ? id : undefined) : implementationOf(binding);
      if (type === undefined || !hasJobs(type)) continue;
      const { methods, problems } = jobMethodsOf(type);
      const problem = problems[0];
      if (problem !== undefined) throw new ConfigurationError('ORDO_INVALID_JOB', problem);
      if (methods.length === 0) continue;
      const scope = 'scope' in binding ? binding.scope : 'Singleton';
      if (scope !== 'Singleton') refuseScope(type.name, methods[0]!.method, id, scope);
      for (const { method, declaration } of methods) {
        const where = `@Job(${JSON.stringify(declaration.name) ?? String(declaration.name)}) on ${type.name}.${String(method)}`;
        const job = checkJob(declaration, where, random, onInvalidBackoff);
        const clash = names.get(job.name);
        if (clash !== undefined) {
          throw new ConfigurationError(
            'ORDO_DUPLICATE_JOB',
            `Two job handlers are named "${job.name}": ${clash} and ${where}; a job name has one handler per app, rename one`,
          );
        }
        names.set(job.name, where);
        found.push({ id, method, job });
      }
    }
  }
  return found;
}

function refuseScope(className: string, method: string | symbol, id: ServiceIdentifier, scope: string): never {
  const why =
    scope === 'Request'
      ? 'a request-scoped provider has one instance per request, and a job runs outside any request'
      : 'a transient provider is a new instance at every resolution, so no instance would be the one its worker calls';
  throw new ConfigurationError(
    'ORDO_JOB_SCOPE',
    `${className}.${String(method)} is a @Job handler, but ${className} is bound to ${describeIdentifier(id)} in ${scope} scope: ${why}. ` +
      'Bind it with .inSingletonScope(), or move the handler to a singleton that creates what it needs per job',
  );
}
