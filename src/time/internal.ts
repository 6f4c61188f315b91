/**
 * What the rest of Ordo needs from the time capability and users do not, apart from the public face in index.ts:
 * the scheduler keeps its next runs in the same heap the VirtualClock keeps its timers in, and lifecycle tells
 * returned promises apart as VirtualClock does.
 */
export { TimerHeap, type HeapEntry } from './timer-heap.js';
export { isThenable } from './thenable.js';
