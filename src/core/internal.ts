/**
 * What the rest of Ordo needs from the core capability and users do not, apart from the public face in index.ts:
 * `Ordo.create()` compiles modules, reads bindings and discovers components with these; lifecycle runs what
 * discovery found.
 */
export { readComponent, markIngress } from './component-metadata.js';
export { isModule, compileModules, type CompiledModules } from './module.js';
export {
  discoverComponents,
  type DiscoveredComponent,
  type ComponentGraph,
  type DiscoveryHints,
  type RequestOnlyHint,
} from './discovery.js';
export { bindingReaderOf } from './binding-reader.js';
export { implementationOf } from './component-bindings.js';
export { describeIdentifier } from './class-name.js';
export { durationOption, describeValue, CIRCULAR_IMPORT_HINT } from './option-checks.js';
export { type RequestEnd, NO_REQUEST_END } from './request-end.js';
export { detailsOf } from './stop-details.js';
export type { ClusterSchedule, ClusterSchedules, ClusterTickRunner, ClusterTiming } from './cluster-schedules.js';
