import type { ServiceIdentifier } from 'inversify';

/** A readable name for a service identifier, for error messages: `Database`, `Symbol(Config)`, `"db"`. */
export function describeIdentifier(id: ServiceIdentifier | undefined): string {
  if (typeof id === 'function') return id.name || 'anonymous class';
  if (typeof id === 'symbol') return id.toString();
  return JSON.stringify(id);
}
