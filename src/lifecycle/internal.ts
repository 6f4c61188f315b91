/**
 * What the composition root needs from the lifecycle capability and users do not: the lifecycle that runs an app's
 * components and runtimes.
 */
export { ComponentLifecycle, type RuntimeEntry } from './lifecycle.js';
/** The probe answers the health server serves, for the HTTP adapters' health routes to serve the same. */
export { answerProbe, isProbePath, PROBE_PATHS, type ProbeAnswer, type ProbePath } from './health-body.js';
