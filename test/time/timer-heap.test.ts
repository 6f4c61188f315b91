import fc from 'fast-check';
import { type HeapEntry, TimerHeap } from '../../src/time/timer-heap.js';

describe('TimerHeap (property)', () => {
  it('yields the entries left after any removals in (due, seq) order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (dues, removals) => {
          const heap = new TimerHeap<HeapEntry>();
          const entries = dues.map((due, seq) => ({ due, seq, heapIndex: -1 }));
          entries.forEach((entry) => heap.push(entry));
          const removed = new Set<HeapEntry>();
          for (const pick of removals) {
            if (entries.length === 0) break;
            const entry = entries[pick % entries.length]!;
            heap.remove(entry);
            removed.add(entry);
          }

          const order: HeapEntry[] = [];
          for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
            order.push(top);
            heap.remove(top);
          }

          const expected = entries.filter((e) => !removed.has(e)).sort((a, b) => a.due - b.due || a.seq - b.seq);
          expect(order).toEqual(expected);
        },
      ),
    );
  });

  it('pops the entries in (due, seq) order, each marked out of the heap, whatever order they were pushed in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }), (dues) => {
        const heap = new TimerHeap<HeapEntry>();
        const entries = dues.map((due, seq) => ({ due, seq, heapIndex: -1 }));
        entries.forEach((entry) => heap.push(entry));

        const order: HeapEntry[] = [];
        for (let top = heap.pop(); top !== undefined; top = heap.pop()) order.push(top);

        expect(order).toEqual([...entries].sort((a, b) => a.due - b.due || a.seq - b.seq));
        expect(order.every((entry) => entry.heapIndex === -1)).toBe(true);
        expect(heap.size).toBe(0);
      }),
    );
  });
});
