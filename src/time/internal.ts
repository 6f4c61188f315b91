/**
 * What the rest of Ordo needs from the time capability and users do not, apart from the public face in index.ts:
 * the scheduler keeps its next runs in the same heap the VirtualClock keeps its timers in.
 */
export { TimerHeap, type HeapEntry } from './timer-heap.js';
