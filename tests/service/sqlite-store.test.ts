import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { UniqueViolation } from '../../src/service/domain/errors.ts';
import { step } from '../../src/service/store/sql.ts';
import { SqliteExecutor } from '../../src/service/store/sqlite.ts';

const dbFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'consentry-sqlite-')), `${name}.sqlite`);
const AT = (second: number) => `2026-11-30T10:00:${String(second).padStart(2, '0')}.000Z`;

describe('the embedded SQLite store', () => {
  it('commits concurrent writes together; a failing one is refused alone and the others are stored', async () => {
    const path = dbFile('group');
    const sql = new SqliteExecutor(path);
    try {
      await sql.write([step(`INSERT INTO accounts (id, name, plan, created_at) VALUES ('acct_a', 'A', 'free', ?)`, AT(0))]);
      const writes = Array.from({ length: 40 }, (_, i) => sql.write([
        // The 8th reuses the first account's id: a unique violation in the middle of the group.
        step('INSERT INTO accounts (id, name, plan, created_at) VALUES (?, ?, ?, ?)', i === 7 ? 'acct_a' : `acct_${i}`, `N${i}`, 'free', AT(1)),
      ]));
      const settled = await Promise.allSettled(writes);
      expect(settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason)).toEqual([expect.any(UniqueViolation)]);
      expect(settled[7]!.status).toBe('rejected');
      expect((await sql.get('SELECT COUNT(*) AS n FROM accounts', []))!.n).toBe(40);
      expect((await sql.get('SELECT name FROM accounts WHERE id = ?', ['acct_a']))!.name).toBe('A');
    } finally {
      await sql.close();
    }
  });

  it('keeps the write-ahead log bounded under a steady stream of commits (checkpoints on their own thread)', async () => {
    const path = dbFile('checkpoints');
    const sql = new SqliteExecutor(path, { everyCommits: 4, restartFrames: 64 });
    try {
      await sql.write([step(`INSERT INTO accounts (id, name, plan, created_at) VALUES ('acct_w', 'W', 'free', ?)`, AT(0))]);
      const padding = 'x'.repeat(2000);
      // Sequential commits of a few pages each.
      for (let i = 0; i < 400; i++) {
        await sql.write([step('INSERT INTO api_keys (id, account_id, name, hint, key_hash, mode, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          `key_${i}`, 'acct_w', padding, 'hint', `hash_${i}`, 'live', AT(1))]);
      }
      // Unchecked, the log reaches about 10 MB here; checkpointed, about 1 MB.
      expect(statSync(`${path}-wal`).size).toBeLessThan(3 * 1024 * 1024);
      expect((await sql.get('SELECT COUNT(*) AS n FROM api_keys', []))!.n).toBe(400);
    } finally {
      await sql.close();
    }
    // A clean close leaves everything in the database file.
    expect(() => statSync(`${path}-wal`)).toThrow();
    const db = new DatabaseSync(path, { readOnly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM api_keys').get()).toEqual({ n: 400 });
    db.close();
  });
});
