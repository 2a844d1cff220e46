import { ApiError } from './errors.ts';

/** Keyset position of a list ordered by (createdAt, id) descending, opaque to clients. */
export interface Position {
  createdAt: string;
  id: string;
}

export function encodeCursor({ createdAt, id }: Position): string {
  return Buffer.from(`${createdAt}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  // Only what encodeCursor writes: an ISO time and an id (anything else, U+0000 among it, would reach the SQL).
  if (!createdAt || !id || !/^[A-Za-z0-9_]+$/.test(id) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(createdAt)) {
    throw ApiError.validation([{ field: 'cursor', message: 'is not a cursor this API gave out' }]);
  }
  return { createdAt, id };
}

/**
 * Pages a newest-first list by offset or cursor: asks the store for one row
 * more than the page, so it knows whether a next page exists.
 */
export async function keysetPage<T extends Position>(
  query: { limit: number; offset: number; cursor?: string | undefined },
  fetch: (page: { limit: number; offset: number; before?: Position }) => Promise<{ rows: T[]; total: number }>,
) {
  const before = query.cursor ? decodeCursor(query.cursor) : undefined;
  const { rows, total } = await fetch({ limit: query.limit + 1, offset: before ? 0 : query.offset, ...(before && { before }) });
  const data = rows.slice(0, query.limit);
  const last = data[data.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor(last) : null;
  return { data, pagination: { limit: query.limit, offset: before ? 0 : query.offset, total, nextCursor } };
}
