import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { UniqueViolation } from '../../src/service/domain/errors.ts';
import { MIGRATIONS } from '../../src/service/store/migrations.ts';
import { step } from '../../src/service/store/sql.ts';
import { auditPathOf, SqliteExecutor, SqliteStore } from '../../src/service/store/sqlite.ts';

const dbFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'consentry-sqlite-')), `${name}.sqlite`);
const AT = (second: number) => `2026-11-30T10:00:${String(second).padStart(2, '0')}.000Z`;

/** A database as a release with only migrations 1 and 2 left it, holding three events and two audit entries. */
function versionTwoDatabase(path: string): void {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const migration of MIGRATIONS.filter((m) => m.version <= 2)) {
    db.exec(migration.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(migration.version, migration.name, AT(0));
  }
  db.prepare(`INSERT INTO accounts (id, name, plan, created_at) VALUES ('acct_old', 'Old', 'free', ?)`).run(AT(0));
  db.prepare(`INSERT INTO sites (id, account_id, name, domain, status, public_key, config, created_at, updated_at)
    VALUES ('site_old', 'acct_old', 'Old', 'old.example.com', 'active', 'pk_old', '{}', ?, ?)`).run(AT(0), AT(0));
  const event = db.prepare(`INSERT INTO consent_events (id, site_id, consent_id, action, categories, policy_version, language, page_url,
    user_agent, ip_anonymized, gpc, test, created_at) VALUES (?, 'site_old', ?, 'accept_all', '{"necessary":true}', '1', 'en', NULL, 'UA', '192.0.2.0', 0, 0, ?)`);
  for (const n of [1, 2, 3]) event.run(`evt_${n}`, `visitor_${n}`, AT(n));
  const audit = db.prepare(`INSERT INTO audit_log (id, account_id, key_id, method, route, path, status, ip_anonymized, request_id, duration_ms, detail, created_at)
    VALUES (?, ?, NULL, 'POST', '/api/v1/consent/log', '/api/v1/consent/log', 201, NULL, ?, 1.5, NULL, ?)`);
  audit.run('aud_1', 'acct_old', 'req_1', AT(1));
  audit.run('aud_2', null, 'req_2', AT(2));
  db.close();
}

describe('the embedded SQLite store', () => {
  it('upgrades a version-2 database: events move to the clustered table and audit entries to their own file, unchanged and in order', async () => {
    const path = dbFile('upgrade');
    versionTwoDatabase(path);
    const store = new SqliteStore(path);
    try {
      const { events, total } = await store.listConsentEvents('site_old', { limit: 10, offset: 0 });
      expect(total).toBe(3);
      expect(events.map((e) => [e.id, e.consentId, e.createdAt])).toEqual([3, 2, 1].map((n) => [`evt_${n}`, `visitor_${n}`, AT(n)]));
      expect(events[0]).toMatchObject({ action: 'accept_all', categories: { necessary: true }, userAgent: 'UA', ipAnonymized: '192.0.2.0', gpc: false });
      const audit = await store.listAudit('acct_old', { limit: 10, offset: 0 });
      expect(audit.entries.map((e) => [e.id, e.requestId, e.durationMs])).toEqual([['aud_1', 'req_1', 1.5]]);
    } finally {
      await store.close();
    }
    const db = new DatabaseSync(path, { readOnly: true });
    const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE name IN ('consent_events', 'audit_log')`).all();
    expect(tables.map((t) => [t.name, String(t.sql).includes('WITHOUT ROWID')])).toEqual([['consent_events', true]]);
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: MIGRATIONS.at(-1)!.version });
    db.close();
    // The audit log now lives in its own file, beside the database.
    const audit = new DatabaseSync(auditPathOf(path), { readOnly: true });
    expect(auditPathOf(path)).toBe(path.replace(/\.sqlite$/, '.audit.sqlite'));
    expect(String((audit.prepare(`SELECT sql FROM sqlite_master WHERE name = 'audit_log'`).get() as { sql: string }).sql)).toContain('WITHOUT ROWID');
    expect(audit.prepare('SELECT id, account_id FROM audit_log ORDER BY created_at').all()).toEqual([
      { id: 'aud_1', account_id: 'acct_old' }, { id: 'aud_2', account_id: null },
    ]);
    audit.close();
  });

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

  it('creates its files readable by their owner only: the database, its log and shared memory, the audit file and theirs (0600), in a 0700 folder', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'consentry-modes-')), 'data');
    const path = join(folder, 'modes.sqlite');
    const store = new SqliteStore(path);
    try {
      await store.createAccount({ id: 'acct_m', name: 'M', plan: 'self_hosted', planExpiresAt: null, email: null, ipAllowlist: [], createdAt: AT(0) });
      await store.appendAudit({
        id: 'aud_m', accountId: 'acct_m', keyId: null, method: 'GET', route: '/', path: '/', status: 200, ipAnonymized: null,
        requestId: 'req_m', durationMs: 1, detail: null, createdAt: AT(1),
      });
      const audit = auditPathOf(path);
      // Tests run as root, who may read anything: the mode bits are what matter.
      const modes = Object.fromEntries([path, `${path}-wal`, `${path}-shm`, audit, `${audit}-wal`, `${audit}-shm`]
        .map((file) => [file.slice(folder.length + 1), (statSync(file).mode & 0o777).toString(8)]));
      expect(modes).toEqual({
        'modes.sqlite': '600', 'modes.sqlite-wal': '600', 'modes.sqlite-shm': '600',
        'modes.audit.sqlite': '600', 'modes.audit.sqlite-wal': '600', 'modes.audit.sqlite-shm': '600',
      });
      expect((statSync(folder).mode & 0o777).toString(8)).toBe('700');
    } finally {
      await store.close();
    }
  });
});
