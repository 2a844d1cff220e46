import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, keysetPage, type Position } from '../../../../src/service/domain/cursor.ts';
import { ApiError } from '../../../../src/service/domain/errors.ts';

const position = fc.record({
  createdAt: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  id: fc.stringMatching(/^[a-z]{2,4}_[A-Za-z0-9]{1,30}$/),
});

/** A newest-first list held in memory, answering as a store does: `before` excludes that position and all newer. */
function listOf(rows: Position[]) {
  const sorted = [...rows].sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)));
  return async ({ limit, offset, before }: { limit: number; offset: number; before?: Position }) => {
    const after = before ? sorted.filter((r) => r.createdAt < before.createdAt || (r.createdAt === before.createdAt && r.id.localeCompare(before.id) < 0)) : sorted;
    return { rows: after.slice(offset, offset + limit), total: sorted.length };
  };
}

describe('cursors', () => {
  it('give back the position they were made from, and are URL-safe', () => {
    fc.assert(fc.property(position, (p) => {
      const cursor = encodeCursor(p);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual(p);
    }), { numRuns: 300 });
  });

  it('refuse a cursor the API did not give out with a 422 on the cursor field', () => {
    for (const bad of ['', 'nope', Buffer.from('2026-11-23T10:00:00.000Z').toString('base64url'), Buffer.from('yesterday|evt_1').toString('base64url')]) {
      let thrown: unknown;
      try {
        decodeCursor(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, bad).toBeInstanceOf(ApiError);
      expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', details: { fields: [{ field: 'cursor' }] } });
    }
  });
});

describe('keysetPage', () => {
  it('walks a whole list by cursor: every row once, newest first, and no cursor after the last page', async () => {
    await fc.assert(fc.asyncProperty(fc.uniqueArray(position, { selector: (p) => p.id, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), async (rows, limit) => {
      const fetch = listOf(rows);
      const seen: Position[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await keysetPage({ limit, offset: 0, cursor }, fetch);
        expect(page.data.length).toBeLessThanOrEqual(limit);
        expect(page.pagination.total).toBe(rows.length);
        seen.push(...page.data);
        cursor = page.pagination.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 100);
      expect(seen).toEqual((await fetch({ limit: rows.length, offset: 0 })).rows);
    }), { numRuns: 100 });
  });

  it('pages by offset when there is no cursor, and ignores the offset with one', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ createdAt: `2026-11-23T10:00:0${i}.000Z`, id: `evt_${i}` }));
    const fetch = listOf(rows);
    const second = await keysetPage({ limit: 2, offset: 2 }, fetch);
    expect(second.data.map((r) => r.id)).toEqual(['evt_2', 'evt_1']);
    expect(second.pagination).toMatchObject({ limit: 2, offset: 2, total: 5 });
    expect(second.pagination.nextCursor).not.toBeNull();
    const next = await keysetPage({ limit: 2, offset: 3, cursor: second.pagination.nextCursor! }, fetch);
    expect(next.data.map((r) => r.id)).toEqual(['evt_0']);
    expect(next.pagination).toMatchObject({ offset: 0, nextCursor: null });
  });
});
