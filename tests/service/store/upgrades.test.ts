import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/service/store/migrations.ts';
import { openPostgresStore } from '../../../src/service/store/postgres.ts';
import type { SqlStore } from '../../../src/service/store/sql-store.ts';
import { verifySqlite } from '../../../src/service/store/sqlite-backup.ts';
import { SqliteStore } from '../../../src/service/store/sqlite.ts';
import { freshPostgresDatabase, postgresUrl } from '../harness.ts';
import { BUNDLE } from '../process.ts';

/** A database written by release 0.1.0 (schema version 1); see tests/fixtures/README.md. */
const FIXTURE = 'tests/fixtures/consentry-0.1.0.sqlite';
const TABLES = ['accounts', 'api_keys', 'sites', 'categories', 'consent_events', 'pageview_counts', 'pageview_sessions'];

function fixtureRows(): Record<string, Array<Record<string, unknown>>> {
  const db = new DatabaseSync(FIXTURE, { readOnly: true });
  try {
    return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all() as Array<Record<string, unknown>>]));
  } finally {
    db.close();
  }
}

/** The fixture in a fresh store of the run's kind: a copy of the file, or its rows loaded into a PostgreSQL database at schema 1. */
async function oldDatabase(newerVersion?: number): Promise<{ open(): Promise<SqlStore>; path: string | null; drop(): Promise<void> }> {
  if (!postgresUrl) {
    const path = join(mkdtempSync(join(tmpdir(), 'consentry-upgrade-')), 'consentry.sqlite');
    copyFileSync(FIXTURE, path);
    if (newerVersion) {
      const db = new DatabaseSync(path);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(newerVersion, 'from the future', '2030-01-01T00:00:00.000Z');
      db.close();
    }
    return { open: async () => new SqliteStore(path), path, drop: async () => {} };
  }
  const database = await freshPostgresDatabase();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    await client.query(MIGRATIONS[0]!.sql);
    await client.query('INSERT INTO schema_migrations VALUES (1, $1, $2)', [MIGRATIONS[0]!.name, '2026-11-01T00:00:00.000Z']);
    for (const [table, rows] of Object.entries(fixtureRows())) {
      for (const row of rows) {
        const columns = Object.keys(row);
        await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
      }
    }
    if (newerVersion) await client.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [newerVersion, 'from the future', '2030-01-01T00:00:00.000Z']);
  } finally {
    await client.end();
  }
  return { open: () => openPostgresStore(database.url), path: null, drop: database.drop };
}

describe('upgrades', () => {
  it('migrates a database written by release 0.1.0 to the current schema and keeps every row', async () => {
    const before = fixtureRows();
    expect(before.consent_events).toHaveLength(13);
    const old = await oldDatabase();
    const store = await old.open();
    try {
      const versions = (await store.sql.all('SELECT version FROM schema_migrations ORDER BY version', [])).map((r) => Number(r.version));
      expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
      for (const table of TABLES) {
        const after = await store.sql.all(`SELECT * FROM ${table}`, []);
        expect(after, table).toHaveLength(before[table]!.length);
        // Every old column keeps its value (new columns take their defaults).
        const byKey = (row: Record<string, unknown>) => JSON.stringify(Object.values(row).slice(0, 2));
        const afterByKey = new Map(after.map((row) => [byKey(row), row]));
        for (const row of before[table]!) {
          const migrated = afterByKey.get(byKey(row));
          expect(migrated, `${table} ${byKey(row)}`).toBeDefined();
          for (const [column, value] of Object.entries(row)) expect(migrated![column], `${table}.${column}`).toEqual(value);
        }
      }
      // And the domain reads it as it reads its own rows.
      const account = before.accounts![0]!;
      expect(await store.getAccount(String(account.id))).toMatchObject({ name: 'Release 0.1.0', plan: 'pro', email: null, ipAllowlist: [] });
      const site = before.sites!.find((s) => s.domain === 'old.example.com')!;
      const events = await store.listConsentEvents(String(site.id), { limit: 50, offset: 0 });
      expect(events.total).toBe(13);
      expect(events.events.find((e) => e.consentId === 'old_visitor_2')).toMatchObject({ categories: { necessary: true, analytics: true }, ipAnonymized: '203.0.113.0' });
      expect((await store.listCategories(String(site.id))).map((c) => c.key)).toContain('video');
      expect(await store.pageviewCount(String(site.id), String(before.pageview_counts![0]!.month))).toBe(3);
    } finally {
      await store.close();
      await old.drop();
    }
    if (old.path) expect(verifySqlite(old.path)).toMatchObject({ ok: true, schemaVersion: LATEST_SCHEMA_VERSION });
  });

  it('refuses a database whose schema is newer than this release (a downgrade) with a clear message, changing nothing', async () => {
    const old = await oldDatabase(LATEST_SCHEMA_VERSION + 1);
    try {
      await expect(old.open()).rejects.toThrow(`schema is version ${LATEST_SCHEMA_VERSION + 1}, newer than this release knows (${LATEST_SCHEMA_VERSION})`);
      if (old.path) {
        // Nothing was migrated: the file is still at 0.1.0's tables plus the future version row.
        const db = new DatabaseSync(old.path, { readOnly: true });
        expect((db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version)).toEqual([1, LATEST_SCHEMA_VERSION + 1]);
        db.close();
        // The shipped command says it in one line and exits 2: no stack trace.
        const result = spawnSync(process.execPath, [BUNDLE, 'serve', '--port', '0', '--db', old.path], { encoding: 'utf8' });
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/^consentry-service: cannot open the SQLite file .*: the database's schema is version \d+, newer than this release knows/);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      await old.drop();
    }
  });
});
