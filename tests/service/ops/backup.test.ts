import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { postgresUrl } from '../harness.ts';
import { BUNDLE, cli, startBundle, stopBundle } from '../process.ts';

const run = promisify(execFile);

// backup and verify copy the SQLite store; PostgreSQL is backed up with pg_dump (README).
describe.skipIf(postgresUrl)('backup and verify (SQLite) of the shipped bundle', () => {
  it('copies the database and its audit file while a burst of consent writes runs; the copy passes verify and holds every acknowledged event', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-backup-'));
    const db = ['--db', join(dir, 'data', 'consentry.sqlite')];
    const { secretKey } = cli(['accounts', 'create', '--name', 'Backup', ...db]);
    const service = await startBundle(db);
    const site = await (await fetch(`${service.url}/sites`, {
      method: 'POST', headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Backup', domain: 'backup.example.com' }),
    })).json() as { site: { id: string; publicKey: string } };

    const acknowledged: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const res = await fetch(`${service.url}/consent/log`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ api_key: site.site.publicKey, consentId: `backup_${w}_${i}`, action: 'accept_all', categories: { analytics: true }, policyVersion: '1' }),
        });
        if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
      }
    };
    const workers = Array.from({ length: 16 }, (_, w) => worker(w));
    try {
      while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 5));
      // Every event acknowledged from here back is durable before the backup process even starts.
      const before = [...acknowledged];
      const out = join(dir, 'backup');
      const { stdout } = await run(process.execPath, [BUNDLE, 'backup', ...db, '--out', out]);
      const backup = JSON.parse(stdout);
      stop = true;
      await Promise.all(workers);
      expect(backup).toMatchObject({ database: join(out, 'consentry.sqlite'), audit: join(out, 'consentry.audit.sqlite'), schemaVersion: expect.any(Number) });
      expect(backup.consentEvents).toBeGreaterThanOrEqual(before.length);

      const verified = cli(['verify', '--db', backup.database]);
      expect(verified).toMatchObject({ ok: true, integrity: ['ok'], foreignKeyViolations: 0, problems: [], audit: { integrity: ['ok'] } });
      expect(verified.schemaVersion).toBe(verified.expectedSchemaVersion);

      const copy = new DatabaseSync(backup.database, { readOnly: true });
      const stored = new Set((copy.prepare('SELECT id FROM consent_events').all() as Array<{ id: string }>).map((r) => r.id));
      copy.close();
      expect(before.filter((id) => !stored.has(id))).toEqual([]);
      const audit = new DatabaseSync(backup.audit, { readOnly: true });
      expect(Number((audit.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n)).toBeGreaterThan(0);
      audit.close();

      // Restoring is starting on the copied files: the service serves what the copy holds.
      const restored = await startBundle(['--db', backup.database]);
      try {
        const listed = await (await fetch(`${restored.url}/consent/events/${site.site.id}?limit=1`, { headers: { authorization: `Bearer ${secretKey}` } })).json() as { pagination: { total: number } };
        expect(listed.pagination.total).toBe(backup.consentEvents);
      } finally {
        expect(await stopBundle(restored.child)).toBe(0);
      }
      // A second backup into the same folder is refused, not overwritten.
      await expect(run(process.execPath, [BUNDLE, 'backup', ...db, '--out', out])).rejects.toMatchObject({ stderr: expect.stringContaining('exists already') });
    } finally {
      stop = true;
      await Promise.all(workers);
      expect(await stopBundle(service.child)).toBe(0);
    }
  });

  it('with --keep, backs up into a new folder named by the time and removes the oldest such backups beyond n, nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-rotate-'));
    const db = ['--db', join(dir, 'data', 'consentry.sqlite')];
    cli(['accounts', 'create', '--name', 'Rotate', ...db]);
    const parent = join(dir, 'backups');
    // Three older backups, a folder of the same kind of name that holds no backup, and something else entirely.
    for (const day of ['01', '02', '03']) {
      mkdirSync(join(parent, `2026-01-${day}T03-00-00Z`), { recursive: true });
      writeFileSync(join(parent, `2026-01-${day}T03-00-00Z`, 'consentry.sqlite'), '');
    }
    mkdirSync(join(parent, '2025-06-01T03-00-00Z'));
    mkdirSync(join(parent, 'notes'));

    const result = cli(['backup', ...db, '--out', parent, '--keep', '2']);
    expect(result.folder).toMatch(/\/backups\/\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
    expect(result.database).toBe(join(result.folder, 'consentry.sqlite'));
    expect(result.pruned.map((p: string) => p.slice(parent.length + 1))).toEqual(['2026-01-01T03-00-00Z', '2026-01-02T03-00-00Z']);
    expect(readdirSync(parent).sort()).toEqual(['2025-06-01T03-00-00Z', '2026-01-03T03-00-00Z', result.folder.slice(parent.length + 1), 'notes'].sort());
    expect(cli(['verify', '--db', result.database])).toMatchObject({ ok: true });

    for (const keep of ['0', 'two', '-1']) {
      await expect(run(process.execPath, [BUNDLE, 'backup', ...db, '--out', parent, '--keep', keep])).rejects.toMatchObject({ stderr: expect.stringContaining('--keep') });
    }
    expect(readdirSync(parent)).toHaveLength(4);
  });

  it('verify reports a damaged file and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-verify-'));
    const path = join(dir, 'consentry.sqlite');
    cli(['accounts', 'create', '--name', 'Fk', '--db', path]);
    // A key row pointing at an account that does not exist (written past the foreign-key check).
    const raw = new DatabaseSync(path);
    raw.exec(`PRAGMA foreign_keys = OFF; INSERT INTO api_keys (id, account_id, name, hint, key_hash, mode, created_at) VALUES ('key_x', 'acct_missing', 'x', 'x', 'h', 'live', '2026-01-01')`);
    raw.close();
    const result = await run(process.execPath, [BUNDLE, 'verify', '--db', path]).catch((error: { code: number; stdout: string }) => error);
    expect((result as { code: number }).code).toBe(1);
    expect(JSON.parse((result as { stdout: string }).stdout)).toMatchObject({ ok: false, foreignKeyViolations: 1 });
  });
});
