/** A node of a {@link RecencyList}: its neighbours and membership, maintained by the list. */
export interface RecencyNode<T> {
  /** The neighbour used more recently, or undefined for the newest. */
  newer: T | undefined;
  /** The neighbour used less recently, or undefined for the oldest. */
  older: T | undefined;
  /** Whether the node is in a list. */
  listed: boolean;
}

/**
 * Nodes ordered by last use, newest first, for least-recently-used eviction. Intrusive (the links live in the
 * nodes), so adding, removing and moving a node to the front is O(1) and allocates nothing: a cached hit in a
 * bounded scope moves its entry on every call.
 */
export class RecencyList<T extends RecencyNode<T>> {
  #newestNode: T | undefined = undefined;
  #oldestNode: T | undefined = undefined;

  /** The node used most recently, or undefined when the list is empty. */
  get newest(): T | undefined {
    return this.#newestNode;
  }

  /** The node used least recently, the next to evict, or undefined when the list is empty. */
  get oldest(): T | undefined {
    return this.#oldestNode;
  }

  /** Adds a node that is in no list as the newest. */
  push(node: T): void {
    node.listed = true;
    node.older = this.#newestNode;
    node.newer = undefined;
    if (this.#newestNode !== undefined) this.#newestNode.newer = node;
    else this.#oldestNode = node;
    this.#newestNode = node;
  }

  /** Takes a node out of the list; does nothing for a node that is in none. */
  remove(node: T): void {
    if (!node.listed) return;
    node.listed = false;
    if (node.newer !== undefined) node.newer.older = node.older;
    else this.#newestNode = node.older;
    if (node.older !== undefined) node.older.newer = node.newer;
    else this.#oldestNode = node.newer;
    node.newer = node.older = undefined;
  }

  /** Marks a listed node as just used: it becomes the newest. */
  touch(node: T): void {
    // The newest needs no move: a run of hits on one key costs a comparison.
    if (this.#newestNode === node) return;
    this.remove(node);
    this.push(node);
  }
}
