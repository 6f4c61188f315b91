import fc from 'fast-check';
import { startWaves } from '../../src/core/start-waves.js';

/** A graph as node -> the nodes it depends on. */
type Graph = Record<string, string[]>;

function wavesOf(graph: Graph) {
  return startWaves(Object.keys(graph), (node) => graph[node] ?? []);
}

describe('startWaves', () => {
  it('has no waves for no nodes', () => {
    expect(wavesOf({})).toEqual({ waves: [] });
  });

  it('puts independent nodes in one wave, in the order given', () => {
    expect(wavesOf({ c: [], a: [], b: [] })).toEqual({ waves: [['c', 'a', 'b']] });
  });

  it('puts a node in the wave after the latest of its dependencies', () => {
    const graph: Graph = { app: ['cache', 'db'], cache: ['db'], db: [], metrics: [] };

    expect(wavesOf(graph)).toEqual({ waves: [['db', 'metrics'], ['cache'], ['app']] });
  });

  it('takes a dependency that is not among the nodes as already started', () => {
    expect(startWaves(['api'], () => ['outside'])).toEqual({ waves: [['api']] });
  });

  it('reports a cycle, each node depending on the next and the last on the first', () => {
    const graph: Graph = { a: ['b'], b: ['c'], c: ['a'], d: [] };

    expect(wavesOf(graph)).toEqual({ cycle: ['a', 'b', 'c'] });
  });

  it('reports a node that depends on itself as a cycle of one', () => {
    expect(wavesOf({ a: ['a'] })).toEqual({ cycle: ['a'] });
  });

  it('names the cycle a walk from the first node meets, not one reached before it through an acyclic part', () => {
    const graph: Graph = { top: ['x', 'p'], x: [], p: ['q'], q: ['p'], r: ['s'], s: ['r'] };

    expect(wavesOf(graph)).toEqual({ cycle: ['p', 'q'] });
  });

  it('orders a chain of 20,000 nodes without overflowing the stack, and finds a cycle closing it', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => i);
    const ordered = startWaves(chain, (i) => (i === 0 ? [] : [i - 1]));
    const closed = startWaves(chain, (i) => [i === 0 ? chain.length - 1 : i - 1]);

    expect({ waves: ordered.waves?.length, cycle: closed.cycle?.length }).toEqual({ waves: 20_000, cycle: 20_000 });
  });
});

describe('startWaves (property)', () => {
  /** A random acyclic graph: node i may depend only on nodes before it; then the nodes are listed shuffled. */
  const acyclicGraph = fc.integer({ min: 0, max: 30 }).chain((size) =>
    fc.record({
      dependencies: fc.tuple(
        ...Array.from({ length: size }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j))),
      ),
      order: fc.shuffledSubarray(
        Array.from({ length: size }, (_, i) => i),
        { minLength: size, maxLength: size },
      ),
    }),
  );

  it('starts every node once, after all its dependencies, and as early as they allow, in the order given', () => {
    fc.assert(
      fc.property(acyclicGraph, ({ dependencies, order }) => {
        const { waves, cycle } = startWaves(order, (node) => dependencies[node]!);

        expect(cycle).toBeUndefined();
        const waveOf = new Map<number, number>();
        waves!.forEach((wave, at) => wave.forEach((node) => waveOf.set(node, at)));
        expect([...waveOf.keys()].sort((a, b) => a - b)).toEqual([...order].sort((a, b) => a - b));
        expect(waves!.flat().length).toBe(order.length);
        for (const node of order) {
          const dependencyWaves = dependencies[node]!.map((dependency) => waveOf.get(dependency)!);
          expect(waveOf.get(node)).toBe(dependencyWaves.length === 0 ? 0 : Math.max(...dependencyWaves) + 1);
        }
        for (const wave of waves!) expect(wave).toEqual([...wave].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
      }),
    );
  });

  it('reports a real cycle whenever an edge closes one', () => {
    fc.assert(
      fc.property(
        acyclicGraph.filter(({ order }) => order.length > 0),
        fc.nat(),
        fc.nat(),
        ({ dependencies, order }, pickFrom, pickTo) => {
          // An edge from a node to one that depends on it, directly or not, or to itself, closes a cycle.
          const size = order.length;
          const low = Math.min(pickFrom % size, pickTo % size);
          const high = Math.max(pickFrom % size, pickTo % size);
          const withBackEdge = dependencies.map((deps, node) => (node === low ? [...deps, high] : deps));
          const reaches = (from: number, to: number): boolean =>
            from === to || withBackEdge[from]!.some((next) => next < from && reaches(next, to));
          fc.pre(reaches(high, low));

          const { waves, cycle } = startWaves(order, (node) => withBackEdge[node]!);

          expect(waves).toBeUndefined();
          cycle!.forEach((node, at) => expect(withBackEdge[node]).toContain(cycle![(at + 1) % cycle!.length]));
        },
      ),
    );
  });
});
