/** Where a job stands in `list`'s order: enqueued at (Clock), the enqueuing process's sequence, the id. */
export type ListPosition = readonly [enqueuedAt: number, sequence: number, id: string];

/** The opaque cursor of a position: base64url of its JSON. */
export function writeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor holds; `undefined` for text that is not one of ours (the list then starts over). */
export function readCursor(cursor: string): ListPosition | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      typeof value[0] === 'number' &&
      typeof value[1] === 'number' &&
      typeof value[2] === 'string'
    ) {
      return value as unknown as ListPosition;
    }
  } catch {
    // Not base64url JSON: treated as no cursor.
  }
  return undefined;
}
