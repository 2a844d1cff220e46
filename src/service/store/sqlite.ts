import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { UniqueViolation } from '../domain/errors.ts';
import { MIGRATIONS } from './migrations.ts';
import type { Param, Row, SqlExecutor, Step, WriteResult } from './sql.ts';
import { SqlStore } from './sql-store.ts';
import { WRITER_SOURCE } from './sqlite-writer.ts';

/** A failed write as the domain understands it. */
function storeError(message: string): Error {
  const unique = /UNIQUE constraint failed: (.+)$/.exec(message);
  return unique ? new UniqueViolation(unique[1] ?? 'unique') : new Error(message);
}

const MAX_IN_FLIGHT = 2;

/** A writer's answer (see sqlite-writer.ts): `[id, changes, row]`, or `[id, -1, message]` when the write failed. */
type WireResult = [number, number, Row | string | null];
interface Pending { resolve(result: WriteResult): void; reject(error: Error): void }

/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a
 * committed write survives a crash of the process or the machine.
 *
 * Reads run here on their own connection. Writes are group-committed by a
 * writer thread (see sqlite-writer.ts): every write that arrives while the
 * previous group is being committed joins the next group, and each is
 * acknowledged only after its group's commit. Under load, one fsync serves
 * many requests and never stalls request handling.
 */
export class SqliteExecutor implements SqlExecutor {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly writer: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextWriteId = 1;
  private outbox: Array<{ id: number; steps: Step[] }> = [];
  /**
   * Batches sent and not yet answered. Two at most: the writer always has the
   * next group waiting while it commits one, and later writes gather in the
   * outbox until it answers (one message each way per group, however many
   * requests the group serves).
   */
  private inFlight = 0;
  private readonly statementIds = new Map<string, number>();

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.migrate();
    this.writer = new Worker(WRITER_SOURCE, { eval: true, workerData: { path } });
    this.writer.on('message', (message: string) => {
      for (const [id, changes, row] of JSON.parse(message) as WireResult[]) {
        const waiting = this.pending.get(id);
        if (!waiting) continue;
        this.pending.delete(id);
        if (changes >= 0) waiting.resolve({ changes, row: row as Row | null });
        else waiting.reject(storeError(typeof row === 'string' ? row : 'write failed'));
      }
      this.inFlight -= 1;
      if (this.outbox.length) this.sendOutbox();
      if (this.pending.size === 0) this.writer.unref();
    });
    this.writer.on('error', (error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    });
    this.writer.unref();
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((this.db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => Number(r.version)));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      this.db.exec('BEGIN IMMEDIATE');
      try {
        this.db.exec(migration.sql);
        this.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, new Date().toISOString());
        this.db.exec('COMMIT');
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    }
  }

  private stmt(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async all(sql: string, params: Param[]): Promise<Row[]> {
    return this.stmt(sql).all(...params) as Row[];
  }

  async get(sql: string, params: Param[]): Promise<Row | undefined> {
    return this.stmt(sql).get(...params) as Row | undefined;
  }

  /** Sends a write program to the writer thread; resolves after its group's commit. */
  write(steps: Step[]): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      const id = this.nextWriteId++;
      if (this.pending.size === 0) this.writer.ref();
      this.pending.set(id, { resolve, reject });
      // Writes made in one turn of the event loop travel together; see inFlight.
      if (this.outbox.length === 0 && this.inFlight < MAX_IN_FLIGHT) setImmediate(() => this.sendOutbox());
      this.outbox.push({ id, steps });
    });
  }

  /** The batch in the writer's wire form (see sqlite-writer.ts): statements by number, their SQL only the first time. */
  private sendOutbox(): void {
    if (this.inFlight >= MAX_IN_FLIGHT || this.outbox.length === 0) return;
    this.inFlight += 1;
    const learned: Record<number, string> = {};
    const message: unknown[] = [learned];
    for (const { id, steps } of this.outbox) {
      const write: unknown[] = [id];
      for (const { sql, params, get, ifChanged } of steps) {
        let statement = this.statementIds.get(sql);
        if (statement === undefined) {
          statement = this.statementIds.size;
          this.statementIds.set(sql, statement);
          learned[statement] = sql;
        }
        write.push([statement, (get ? 1 : 0) | (ifChanged ? 2 : 0), ...params]);
      }
      message.push(write);
    }
    this.outbox = [];
    // One string crosses the thread boundary faster than a tree of small objects (measured: ~15 % less CPU per write).
    this.writer.postMessage(JSON.stringify(message));
  }

  async close(): Promise<void> {
    while (this.pending.size > 0) await new Promise((r) => setTimeout(r, 1));
    this.writer.postMessage('close');
    await new Promise((resolve) => this.writer.once('exit', resolve));
    this.db.close();
  }
}

/** The embedded store: the SQL store on one SQLite file. */
export class SqliteStore extends SqlStore {
  constructor(path: string) {
    super(new SqliteExecutor(path));
  }
}
