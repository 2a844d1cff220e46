import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { MessagePort } from 'node:worker_threads';
import type { Param } from './sql.ts';

/** A write of the audit log, as the store sends it: `[<write id>, [[<sql>, [<param>...]]...]]`. */
export type AuditWrite = [id: number, steps: Array<[sql: string, params: Param[]]>];
/** The thread's answer to one write: `[<write id>, <changes>]`, or `[<write id>, -1, <error message>]`. */
export type AuditResult = [id: number, changes: number, error?: string];

/**
 * The audit log's writer thread. The embedded store keeps the audit log in a
 * SQLite file of its own beside the database (see SqliteExecutor), written
 * here on its own connection: one entry per API call is as many rows as the
 * consent writes themselves, and inserting them would otherwise cost the
 * thread that serves HTTP about as much as the consent events do.
 *
 * Every write that arrived while the thread was busy runs in one transaction,
 * each in its own savepoint, and each is answered (the answers of a batch go
 * back as one JSON text). Audit entries are already gathered in memory for up
 * to 100 ms before they come here, so the log commits with
 * `synchronous = NORMAL`: what is committed survives a crash of the process;
 * a power cut may lose the last moments, as it would the entries in memory.
 */
export function runAuditWriter(db: DatabaseSync, port: MessagePort): void {
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
  const statements = new Map<string, StatementSync>();
  let queue: AuditWrite[] = [];
  let scheduled = false;

  const statement = (sql: string): StatementSync => {
    let prepared = statements.get(sql);
    if (!prepared) statements.set(sql, prepared = db.prepare(sql));
    return prepared;
  };
  const messageOf = (error: unknown): string => String(error instanceof Error ? error.message : error);

  const flush = (): void => {
    scheduled = false;
    const batch = queue;
    queue = [];
    let results: AuditResult[] = [];
    try {
      db.exec('BEGIN IMMEDIATE');
      for (const [id, steps] of batch) {
        db.exec('SAVEPOINT item');
        try {
          let changes = 0;
          for (const [sql, params] of steps) changes += Number(statement(sql).run(...params).changes);
          db.exec('RELEASE item');
          results.push([id, changes]);
        } catch (error) {
          db.exec('ROLLBACK TO item');
          db.exec('RELEASE item');
          results.push([id, -1, messageOf(error)]);
        }
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      results = batch.map(([id]) => [id, -1, messageOf(error)]);
    }
    port.postMessage(JSON.stringify(results));
  };

  port.on('message', (message: AuditWrite | 'close') => {
    if (message === 'close') {
      if (queue.length) flush();
      db.close();
      port.close();
      return;
    }
    queue.push(message);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}
