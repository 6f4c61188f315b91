/** What {@link startWaves} finds: the waves, or a cycle that leaves no order. */
export type StartOrder<T> =
  { readonly waves: T[][]; readonly cycle?: undefined } | { readonly waves?: undefined; readonly cycle: T[] };

/**
 * Groups nodes in waves that can start concurrently: a node is in the wave after the latest of its dependencies
 * (wave 0 if it has none), so each wave depends only on earlier ones, and nothing waits longer than its
 * dependencies make it. Within a wave, nodes keep the order of `nodes`. Kahn's layering, in O(nodes + edges).
 *
 * A dependency that is not among `nodes` is taken as already started.
 *
 * @returns the waves, or, if the graph has a cycle, one cycle: nodes each depending on the next, the last on the
 *   first. It is the first a depth-first walk meets that starts from the nodes in order and takes each node's
 *   dependencies in order, so the same graph always names the same cycle.
 */
export function startWaves<T>(nodes: readonly T[], dependenciesOf: (node: T) => Iterable<T>): StartOrder<T> {
  const indexOf = new Map<T, number>();
  nodes.forEach((node, index) => indexOf.set(node, index));
  /** How many dependencies of each node have not been placed in a wave yet. */
  const unplaced = new Array<number>(nodes.length).fill(0);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((node, index) => {
    for (const dependency of dependenciesOf(node)) {
      const at = indexOf.get(dependency);
      if (at === undefined) continue;
      unplaced[index]!++;
      dependents[at]!.push(index);
    }
  });

  const waves: T[][] = [];
  let placed = 0;
  let wave: number[] = [];
  unplaced.forEach((count, index) => {
    if (count === 0) wave.push(index);
  });
  while (wave.length > 0) {
    waves.push(wave.map((index) => nodes[index]!));
    placed += wave.length;
    const next: number[] = [];
    for (const index of wave)
      for (const dependent of dependents[index]!) if (--unplaced[dependent]! === 0) next.push(dependent);
    wave = next.sort((a, b) => a - b);
  }
  if (placed === nodes.length) return { waves };
  const leftOut = (node: T): boolean => {
    const at = indexOf.get(node);
    return at !== undefined && unplaced[at]! > 0;
  };
  return { cycle: firstCycle(nodes, dependenciesOf, leftOut) };
}

/**
 * The first cycle a depth-first walk meets among the nodes left out of every wave: each of them depends, through
 * others left out, on a cycle. With its own stack rather than recursion, so a chain of many thousands of nodes
 * cannot overflow the call stack.
 */
function firstCycle<T>(
  nodes: readonly T[],
  dependenciesOf: (node: T) => Iterable<T>,
  leftOut: (node: T) => boolean,
): T[] {
  const done = new Set<T>();
  const onPath = new Set<T>();
  const path: T[] = [];
  const pending: Array<Iterator<T>> = [];
  const enter = (node: T): void => {
    onPath.add(node);
    path.push(node);
    pending.push(dependenciesOf(node)[Symbol.iterator]());
  };
  for (const start of nodes) {
    if (!leftOut(start) || done.has(start)) continue;
    enter(start);
    while (path.length > 0) {
      const next = pending[pending.length - 1]!.next();
      if (next.done) {
        const node = path.pop()!;
        pending.pop();
        onPath.delete(node);
        done.add(node);
        continue;
      }
      const dependency = next.value;
      // A dependency outside `nodes` was never left out (nothing waited for it), so it is skipped here too.
      if (done.has(dependency) || !leftOut(dependency)) continue;
      if (onPath.has(dependency)) return path.slice(path.indexOf(dependency));
      enter(dependency);
    }
  }
  // Unreachable: a node left out of every wave waits, through others left out, on a cycle.
  throw new Error('startWaves: nodes were left out of every wave but no cycle was found');
}
