import { BACKGROUND_THREAD } from './sqlite-checkpointer.ts';

/**
 * The audit log's writer thread. The embedded store keeps the audit log in a
 * SQLite file of its own beside the database (see SqliteExecutor), written
 * here on its own connection: one entry per API call is as many rows as the
 * consent writes themselves, and inserting them would otherwise cost the
 * thread that serves HTTP about as much as the consent events do.
 *
 * Writes arrive as `[<write id>, [[<sql>, [<param>...]]...]]`; every
 * write that arrived while the thread was busy runs in one transaction, each
 * in its own savepoint, and each is answered with `[<write id>, <changes>]` or
 * `[<write id>, -1, <error message>]`. Audit entries are already gathered in
 * memory for up to 100 ms before they come here, so the log commits with
 * `synchronous = NORMAL`: what is committed survives a crash of the process;
 * a power cut may lose the last moments, as it would the entries in memory.
 *
 * It is kept as source text, run with `eval`, so the service stays one file.
 */
export const AUDIT_WRITER_SOURCE = String.raw`
${BACKGROUND_THREAD}db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
const statements = new Map();
let queue = [];
let scheduled = false;

function statement(sql) {
  let prepared = statements.get(sql);
  if (!prepared) statements.set(sql, prepared = db.prepare(sql));
  return prepared;
}

function flush() {
  scheduled = false;
  const batch = queue;
  queue = [];
  let results = [];
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
        results.push([id, -1, String(error && error.message)]);
      }
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    results = batch.map(([id]) => [id, -1, String(error && error.message)]);
  }
  parentPort.postMessage(JSON.stringify(results));
}

parentPort.on('message', (message) => {
  if (message === 'close') {
    if (queue.length) flush();
    db.close();
    parentPort.close();
    return;
  }
  queue.push(message);
  if (!scheduled) { scheduled = true; setImmediate(flush); }
});
`;
