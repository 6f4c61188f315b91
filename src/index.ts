/**
 * Ordo: decorator-based dependency injection for Node.js services on inversify.
 * The package root re-exports the public face of every capability.
 */
import 'reflect-metadata';

export * from './errors/index.js';
export * from './time/index.js';
export * from './core/index.js';
export * from './lifecycle/index.js';
export { Ordo, type CreateOptions } from './ordo.js';
export * from './tasks/index.js';
