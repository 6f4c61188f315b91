/** An entry of a {@link TimerHeap}: ordered by due time, then by arming order. */
export interface HeapEntry {
  due: number;
  seq: number;
  /** Position in the heap, or -1 when not in it; maintained by the heap. */
  heapIndex: number;
}

/**
 * A binary min-heap of timers keyed on (due, seq), with removal of any entry in O(log n) so that cancelled
 * timers leave nothing behind.
 */
export class TimerHeap<T extends HeapEntry> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(entry: T): void {
    entry.heapIndex = this.#items.length;
    this.#items.push(entry);
    this.#up(entry.heapIndex);
  }

  /** Removes and returns the first entry (the one `peek()` returns): one sift down, where `remove` may add a sift up. */
  pop(): T | undefined {
    const items = this.#items;
    const first = items[0];
    if (first === undefined) return undefined;
    const last = items.pop()!;
    first.heapIndex = -1;
    if (last !== first) {
      items[0] = last;
      this.#down(0);
    }
    return first;
  }

  /** Removes `entry` if it is in the heap; returns whether it was. */
  remove(entry: T): boolean {
    const at = entry.heapIndex;
    if (at < 0 || this.#items[at] !== entry) return false;
    const last = this.#items.pop()!;
    entry.heapIndex = -1;
    if (last !== entry) {
      this.#items[at] = last;
      last.heapIndex = at;
      this.#down(at);
      this.#up(last.heapIndex);
    }
    return true;
  }

  #up(at: number): void {
    const items = this.#items;
    const entry = items[at]!;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = items[parentAt]!;
      if (!before(entry, parent)) break;
      items[at] = parent;
      parent.heapIndex = at;
      at = parentAt;
    }
    items[at] = entry;
    entry.heapIndex = at;
  }

  #down(at: number): void {
    const items = this.#items;
    const count = items.length;
    const entry = items[at]!;
    for (;;) {
      let childAt = 2 * at + 1;
      if (childAt >= count) break;
      const right = childAt + 1;
      if (right < count && before(items[right]!, items[childAt]!)) childAt = right;
      const child = items[childAt]!;
      if (!before(child, entry)) break;
      items[at] = child;
      child.heapIndex = at;
      at = childAt;
    }
    items[at] = entry;
    entry.heapIndex = at;
  }
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
