import { DatabaseSync } from 'node:sqlite';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { LATEST_SCHEMA_VERSION } from './migrations.ts';
import { auditPathOf } from './sqlite.ts';

export interface BackupResult {
  database: string;
  audit: string | null;
  bytes: number;
  consentEvents: number;
  schemaVersion: number;
  startedAt: string;
  finishedAt: string;
}

/**
 * An online copy of the database and of its audit file, taken while the
 * service writes: `VACUUM INTO` reads one snapshot (a WAL read transaction
 * never blocks the writer) and writes a compact copy, so the copy holds every
 * write committed before it began. The copies keep the source's file names
 * inside `outDir`; restoring is copying them back with the service stopped.
 */
export function backupSqlite(dbPath: string, outDir: string): BackupResult {
  if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}`);
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const startedAt = new Date().toISOString();
  const database = resolve(join(outDir, basename(dbPath)));
  const auditSource = auditPathOf(dbPath);
  const audit = existsSync(auditSource) ? resolve(auditPathOf(database)) : null;
  for (const target of [database, audit]) {
    if (target && existsSync(target)) throw new Error(`${target} exists already: back up into an empty folder`);
  }
  const copy = (source: string, target: string) => {
    const db = new DatabaseSync(source, { readOnly: true });
    try {
      db.exec('PRAGMA busy_timeout = 5000');
      db.prepare('VACUUM INTO ?').run(target);
    } finally {
      db.close();
    }
    chmodSync(target, 0o600);
  };
  copy(dbPath, database);
  if (audit) copy(auditSource, audit);
  const facts = new DatabaseSync(database, { readOnly: true });
  try {
    const consentEvents = Number((facts.prepare('SELECT COUNT(*) AS n FROM consent_events').get() as { n: number }).n);
    return {
      database, audit, bytes: statSync(database).size + (audit ? statSync(audit).size : 0), consentEvents,
      schemaVersion: schemaVersionOf(facts), startedAt, finishedAt: new Date().toISOString(),
    };
  } finally {
    facts.close();
  }
}

/** The names of the folders `backupRotating` makes: the UTC time of the backup, sortable (`2026-12-02T07-55-00Z`). */
const ROTATED = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/;

/**
 * A backup into a new folder named by the time under `parentDir`, then the oldest such folders removed so that
 * `keep` remain (the new one included). Only folders with such a name that hold a copy of this database are ever
 * removed: anything else in `parentDir` is left alone. What was removed is listed in `pruned`.
 */
export function backupRotating(dbPath: string, parentDir: string, keep: number, now = new Date()): BackupResult & { folder: string; pruned: string[] } {
  if (!Number.isInteger(keep) || keep < 1) throw new Error('--keep must be a whole number of backups, 1 or more');
  mkdirSync(parentDir, { recursive: true, mode: 0o700 });
  const name = now.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  const folder = resolve(join(parentDir, name));
  const result = backupSqlite(dbPath, folder);
  const ours = readdirSync(parentDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && ROTATED.test(e.name) && existsSync(join(parentDir, e.name, basename(dbPath))))
    .map((e) => e.name)
    .sort();
  const pruned = ours.slice(0, Math.max(0, ours.length - keep)).filter((n) => n !== name).map((n) => resolve(join(parentDir, n)));
  for (const old of pruned) rmSync(old, { recursive: true, force: true });
  return { ...result, folder, pruned };
}

function schemaVersionOf(db: DatabaseSync): number {
  const row = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
  if (!row) return 0;
  return Number((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0);
}

export interface VerifyResult {
  ok: boolean;
  database: string;
  integrity: string[];
  foreignKeyViolations: number;
  schemaVersion: number;
  expectedSchemaVersion: number;
  audit: { path: string; integrity: string[] } | null;
  consentEvents: number | null;
  problems: string[];
}

/** The integrity checks of a database file (a live one or a backup) and its audit file; never writes. */
export function verifySqlite(dbPath: string): VerifyResult {
  if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}`);
  const problems: string[] = [];
  const db = new DatabaseSync(dbPath, { readOnly: true });
  let result: Omit<VerifyResult, 'ok' | 'audit' | 'problems'>;
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    const integrity = (db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    if (integrity.join() !== 'ok') problems.push('integrity_check failed');
    const foreignKeyViolations = db.prepare('PRAGMA foreign_key_check').all().length;
    if (foreignKeyViolations) problems.push(`${foreignKeyViolations} rows refer to rows that do not exist (foreign_key_check)`);
    const schemaVersion = schemaVersionOf(db);
    if (schemaVersion > LATEST_SCHEMA_VERSION) problems.push(`schema version ${schemaVersion} is newer than this release knows (${LATEST_SCHEMA_VERSION})`);
    else if (schemaVersion < LATEST_SCHEMA_VERSION) problems.push(`schema version ${schemaVersion}: the service will migrate it to ${LATEST_SCHEMA_VERSION} at start`);
    const hasEvents = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'consent_events'`).get();
    const consentEvents = hasEvents ? Number((db.prepare('SELECT COUNT(*) AS n FROM consent_events').get() as { n: number }).n) : null;
    result = { database: resolve(dbPath), integrity, foreignKeyViolations, schemaVersion, expectedSchemaVersion: LATEST_SCHEMA_VERSION, consentEvents };
  } finally {
    db.close();
  }
  let audit: VerifyResult['audit'] = null;
  const auditPath = auditPathOf(dbPath);
  if (existsSync(auditPath)) {
    const auditDb = new DatabaseSync(auditPath, { readOnly: true });
    try {
      const integrity = (auditDb.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
      if (integrity.join() !== 'ok') problems.push('integrity_check of the audit file failed');
      audit = { path: resolve(auditPath), integrity };
    } finally {
      auditDb.close();
    }
  } else if (result.schemaVersion >= 3) {
    problems.push(`no audit file at ${auditPath}`);
  }
  // An older schema is not a fault of the file: it migrates at start.
  const ok = problems.every((p) => p.includes('will migrate'));
  return { ok, ...result, audit, problems };
}
