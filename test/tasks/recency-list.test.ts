import fc from 'fast-check';
import { RecencyList, type RecencyNode } from '../../src/tasks/recency-list.js';

interface Node extends RecencyNode<Node> {
  readonly id: number;
}

function node(id: number): Node {
  return { id, newer: undefined, older: undefined, listed: false };
}

/** The list's nodes, oldest first, walked through the links, with a check that both directions agree. */
function oldestFirst(list: RecencyList<Node>): number[] {
  const ids: number[] = [];
  let last: Node | undefined;
  for (let at = list.oldest; at !== undefined; at = at.newer) {
    expect(at.older).toBe(last);
    ids.push(at.id);
    last = at;
  }
  expect(list.newest).toBe(last);
  return ids;
}

describe('RecencyList', () => {
  it('is empty at first', () => {
    const list = new RecencyList<Node>();

    expect([list.oldest, list.newest]).toEqual([undefined, undefined]);
  });

  it('orders pushed nodes oldest first', () => {
    const list = new RecencyList<Node>();
    [1, 2, 3].map(node).forEach((n) => list.push(n));

    expect(oldestFirst(list)).toEqual([1, 2, 3]);
  });

  it('moves a touched node to the newest end', () => {
    const list = new RecencyList<Node>();
    const [a, b, c] = [1, 2, 3].map(node);
    [a!, b!, c!].forEach((n) => list.push(n));

    list.touch(a!);

    expect(oldestFirst(list)).toEqual([2, 3, 1]);
  });

  it('unlinks a removed node, and ignores a node that is in no list', () => {
    const list = new RecencyList<Node>();
    const [a, b, c] = [1, 2, 3].map(node);
    [a!, b!, c!].forEach((n) => list.push(n));

    list.remove(b!);
    list.remove(b!);
    list.remove(node(4));

    expect({ order: oldestFirst(list), removed: [b!.listed, b!.newer, b!.older] }).toEqual({
      order: [1, 3],
      removed: [false, undefined, undefined],
    });
  });

  it('matches an array kept in order of use under any pushes, touches and removals (property)', () => {
    const operation = fc.oneof(
      fc.constant({ kind: 'push' as const, pick: 0 }),
      fc.record({ kind: fc.constantFrom('touch' as const, 'remove' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 80 }), (operations) => {
        const list = new RecencyList<Node>();
        const model: Node[] = [];
        let nextId = 0;
        for (const { kind, pick } of operations) {
          if (kind === 'push') {
            const pushed = node(nextId++);
            list.push(pushed);
            model.push(pushed);
            continue;
          }
          if (model.length === 0) continue;
          const picked = model[pick % model.length]!;
          model.splice(model.indexOf(picked), 1);
          if (kind === 'touch') {
            list.touch(picked);
            model.push(picked);
          } else {
            list.remove(picked);
          }
        }

        expect(oldestFirst(list)).toEqual(model.map((n) => n.id));
      }),
    );
  });
});
