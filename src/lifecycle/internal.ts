/**
 * What the composition root needs from the lifecycle capability and users do not: the lifecycle that runs an app's
 * components and runtimes.
 */
export { ComponentLifecycle, type RuntimeEntry } from './lifecycle.js';
