import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Worker } from 'node:worker_threads';
import { closeSync, fsync, mkdirSync, openSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { UniqueViolation } from '../domain/errors.ts';
import { MIGRATIONS, refuseNewerSchema } from './migrations.ts';
import type { Param, Row, SqlExecutor, Step, WriteResult } from './sql.ts';
import { SecretBox, type StoreOptions } from './secret-box.ts';
import { SqlStore } from './sql-store.ts';
import type { AuditResult, AuditWrite } from './sqlite-audit.ts';
import { startThread } from './sqlite-threads.ts';

/** A failed write as the domain understands it. */
function storeError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const unique = /UNIQUE constraint failed: (.+)$/.exec(message);
  return unique ? new UniqueViolation(unique[1] ?? 'unique') : new Error(message);
}

export interface CheckpointOptions {
  /** Commits between two checkpoint requests: about a thousand pages of log at the usual dozen pages a commit. */
  everyCommits: number;
  /** A log this long after a passive checkpoint gets a RESTART one: 16 MiB of 4 KiB pages. */
  restartFrames: number;
}

const CHECKPOINTS: CheckpointOptions = { everyCommits: 64, restartFrames: 4096 };

/** The audit log's file beside the database: `consentry.sqlite` keeps it in `consentry.audit.sqlite`. */
export function auditPathOf(path: string): string {
  const extension = extname(path);
  return join(dirname(path), `${basename(path, extension)}.audit${extension}`);
}

interface Pending { resolve(result: WriteResult): void; reject(error: Error): void }
interface Write extends Pending { steps: Step[] }

/**
 * The embedded store: one SQLite file in WAL mode. A write is acknowledged
 * only once the log holding its commit is on disk, so that it survives a
 * crash of the process or of the machine; group commit makes that cheap.
 *
 * Writes made in one turn of the event loop share one transaction (each in its
 * own savepoint when one of them fails), committed on this thread in well
 * under a millisecond because the commit itself does not wait for the disk
 * (`synchronous = NORMAL`). The store then fsyncs the log itself, on libuv's
 * thread pool, and resolves the group's writes when that returns: the same
 * guarantee as `synchronous = FULL`, which fsyncs the log inside COMMIT, but
 * the thread that serves HTTP never waits for the disk, and while one fsync
 * runs the next group gathers, to be committed and synced as soon as it ends.
 * NORMAL keeps SQLite's own fsyncs around checkpoints, which run on a
 * checkpointer thread (see sqlite-checkpointer.ts).
 *
 * The audit log lives in a file of its own beside the database (see
 * auditPathOf), written by its own thread (see sqlite-audit.ts) and attached
 * as `audit` to the connection that reads, so that reads find `audit_log` as
 * before. Reads and writes have a connection each: with the audit file
 * attached, every write transaction would lock both files.
 */
export class SqliteExecutor implements SqlExecutor {
  /** Runs the writes (see below); the audit log is not attached here, so its transactions lock this file only. */
  private readonly db: DatabaseSync;
  /** Runs the reads and the migrations, with the audit log's file attached as `audit`. */
  private readonly reader: DatabaseSync;
  /** Prepared statements of each connection, by SQL text. */
  private readonly writes = new Map<string, StatementSync>();
  private readonly reads = new Map<string, StatementSync>();
  /** Writes waiting for the next commit. */
  private queue: Write[] = [];
  private commitScheduled = false;
  /** Set once close() has drained the queue: later writes are refused. */
  private closed = false;
  /** Committed writes waiting for the fsync of the log that holds them, and whether one is running. */
  private unsynced: Array<{ write: Write; result: WriteResult }> = [];
  private syncing = false;
  private wal: number | null = null;
  private readonly checkpointer: Worker;
  private commitsSinceCheckpoint = 0;
  private checkpointing = false;
  private readonly auditWriter: Worker;
  private readonly auditPending = new Map<number, Pending>();
  private nextAuditId = 1;
  observer: SqlExecutor['observer'] = null;

  constructor(private readonly path: string, private readonly checkpoints = CHECKPOINTS) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const audit = auditPathOf(path);
    // The files hold consent records and webhook signing secrets: owner only.
    createPrivately(path);
    createPrivately(audit);
    this.reader = new DatabaseSync(path);
    this.reader.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.reader.prepare('ATTACH DATABASE ? AS audit').run(audit);
    this.reader.exec('PRAGMA audit.journal_mode = WAL');
    try {
      this.migrate();
    } catch (error) {
      this.reader.close();
      throw error;
    }
    // The store syncs the log itself and checkpoints elsewhere (see above).
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.checkpointer = startThread({ role: 'checkpointer', path, restartFrames: checkpoints.restartFrames });
    this.checkpointer.on('message', () => {
      this.checkpointing = false;
      this.checkpointer.unref();
    });
    this.checkpointer.on('error', () => {
      this.checkpointing = false;
    });
    this.checkpointer.unref();
    this.auditWriter = startThread({ role: 'audit', path: audit });
    this.auditWriter.on('message', (message: string) => {
      for (const [id, changes, error] of JSON.parse(message) as AuditResult[]) {
        const waiting = this.auditPending.get(id);
        if (!waiting) continue;
        this.auditPending.delete(id);
        if (changes >= 0) waiting.resolve({ changes, row: null });
        else waiting.reject(storeError(error));
      }
      if (this.auditPending.size === 0) this.auditWriter.unref();
    });
    this.auditWriter.on('error', (error) => {
      for (const waiting of this.auditPending.values()) waiting.reject(error);
      this.auditPending.clear();
    });
    this.auditWriter.unref();
  }

  private migrate(): void {
    this.reader.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((this.reader.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => Number(r.version)));
    refuseNewerSchema(applied);
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      this.reader.exec('BEGIN IMMEDIATE');
      try {
        this.reader.exec(migration.sqlite ?? migration.sql);
        this.reader.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, new Date().toISOString());
        this.reader.exec('COMMIT');
      } catch (error) {
        this.reader.exec('ROLLBACK');
        throw error;
      }
    }
  }

  /** A statement of the writing connection, prepared once. */
  private stmt(sql: string): StatementSync {
    let statement = this.writes.get(sql);
    if (!statement) this.writes.set(sql, statement = this.db.prepare(sql));
    return statement;
  }

  /** A statement of the reading connection, prepared once. */
  private query(sql: string): StatementSync {
    let statement = this.reads.get(sql);
    if (!statement) this.reads.set(sql, statement = this.reader.prepare(sql));
    return statement;
  }

  async all(sql: string, params: Param[]): Promise<Row[]> {
    return this.query(sql).all(...params) as Row[];
  }

  async get(sql: string, params: Param[]): Promise<Row | undefined> {
    return this.query(sql).get(...params) as Row | undefined;
  }

  /** Queues a write program; resolves once its group's commit is on disk. */
  write(steps: Step[]): Promise<WriteResult> {
    // A write that comes after close() (a timer's last flush) fails like any store error instead of finding no database.
    if (this.closed) return Promise.reject(storeError(new Error('the store is closed')));
    return new Promise((resolve, reject) => {
      this.queue.push({ steps, resolve, reject });
      // While an fsync runs, writes gather; its end commits them (see sync).
      if (!this.commitScheduled && !this.syncing) {
        this.commitScheduled = true;
        setImmediate(() => this.commit());
      }
    });
  }

  private runProgram(steps: Step[]): WriteResult {
    let changed = true;
    let changes = 0;
    let row: Row | null = null;
    for (const { sql, params, get, ifChanged } of steps) {
      if (ifChanged && !changed) continue;
      if (get) {
        row = (this.stmt(sql).get(...params) as Row | undefined) ?? null;
      } else {
        const n = Number(this.stmt(sql).run(...params).changes);
        changed = n > 0;
        changes += n;
      }
    }
    return { changes, row };
  }

  /** Runs the group's programs in the open transaction; with savepoints, a failing program undoes only itself. */
  private runGroup(group: Write[], savepoints: boolean): Array<WriteResult | Error> {
    const results: Array<WriteResult | Error> = [];
    for (const write of group) {
      if (!savepoints) {
        results.push(this.runProgram(write.steps));
        continue;
      }
      this.db.exec('SAVEPOINT item');
      try {
        results.push(this.runProgram(write.steps));
        this.db.exec('RELEASE item');
      } catch (error) {
        this.db.exec('ROLLBACK TO item');
        this.db.exec('RELEASE item');
        results.push(storeError(error));
      }
    }
    return results;
  }

  /**
   * Commits every queued write in one transaction. Programs almost never fail,
   * so the group first runs without a savepoint per program; if one fails, the
   * transaction is rolled back and the group runs again with savepoints.
   */
  private commit(): void {
    this.commitScheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    let results: Array<WriteResult | Error>;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        results = this.runGroup(group, false);
      } catch {
        this.db.exec('ROLLBACK');
        this.db.exec('BEGIN IMMEDIATE');
        results = this.runGroup(group, true);
      }
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      for (const write of group) write.reject(storeError(error));
      return;
    }
    for (let i = 0; i < group.length; i++) {
      const result = results[i]!;
      if (result instanceof Error) group[i]!.reject(result);
      else this.unsynced.push({ write: group[i]!, result });
    }
    this.sync();
    if (++this.commitsSinceCheckpoint >= this.checkpoints.everyCommits) this.checkpoint();
  }

  /** Sends a write of the audit log to its own thread and file (see sqlite-audit.ts). */
  writeAudit(steps: Step[]): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      const id = this.nextAuditId++;
      if (this.auditPending.size === 0) this.auditWriter.ref();
      this.auditPending.set(id, { resolve, reject });
      // Cloned as it is: for flat rows of strings and numbers, cheaper than JSON text (measured).
      const write: AuditWrite = [id, steps.map((s) => [s.sql, s.params])];
      this.auditWriter.postMessage(write);
    });
  }

  /** fsyncs the log on libuv's thread pool; the writes committed before it started are then durable. */
  private sync(): void {
    if (this.syncing || this.unsynced.length === 0) return;
    const waiting = this.unsynced;
    this.unsynced = [];
    try {
      // Read-write: Windows flushes only handles open for writing. Nothing is written through it.
      this.wal ??= openSync(`${this.path}-wal`, 'r+');
    } catch (error) {
      // Without the log's file there is no fsync, so no acknowledgement either.
      for (const { write } of waiting) write.reject(error as Error);
      return;
    }
    this.syncing = true;
    const started = performance.now();
    fsync(this.wal, (error) => {
      this.syncing = false;
      this.observer?.fsync((performance.now() - started) / 1000);
      // The next group commits first, so that its fsync runs while these answers go out.
      if (this.queue.length) this.commit();
      for (const { write, result } of waiting) {
        if (error) write.reject(error);
        else write.resolve(result);
      }
    });
  }

  private checkpoint(): void {
    if (this.checkpointing) return;
    this.checkpointing = true;
    this.commitsSinceCheckpoint = 0;
    this.checkpointer.ref();
    this.checkpointer.postMessage('checkpoint');
  }

  async close(): Promise<void> {
    const busy = () => this.queue.length || this.unsynced.length || this.syncing || this.checkpointing || this.auditPending.size;
    while (busy()) await new Promise((r) => setTimeout(r, 1));
    this.closed = true;
    for (const worker of [this.checkpointer, this.auditWriter]) {
      // Held while it closes: with both threads unreferenced and nothing else pending, the process would end here, before
      // the exit event, with code 0 (a CLI command refused before its first query printed nothing and exited 0).
      worker.ref();
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
    if (this.wal !== null) closeSync(this.wal);
    this.db.close();
    this.reader.close();
  }
}

/** The embedded store: the SQL store on one SQLite file (and its audit log's, see auditPathOf). */
export class SqliteStore extends SqlStore {
  /** `secretKey` encrypts webhook signing secrets at rest (see SecretBox). */
  constructor(path: string, { secretKey = null }: StoreOptions = {}) {
    super(new SqliteExecutor(path), secretKey ? new SecretBox(secretKey) : null);
  }
}

/**
 * Creates a data file readable by its owner only, unless it exists. SQLite gives the log and shared-memory
 * files it makes beside a database the database file's mode, so they are 0600 too.
 */
function createPrivately(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
