/**
 * The SQLite writer thread. Every write of the embedded store runs here, so
 * the fsync of a commit never blocks the thread that serves HTTP: while one
 * group of writes is being committed, the next group is already gathering.
 *
 * Writes arrive as JSON text, one message per batch (the store keeps at most
 * two batches here, see SqliteExecutor.inFlight):
 * `[{<statement number>: <SQL of a statement not sent before>}, [<write id>, <step>...]...]`,
 * each step `[<statement number>, <flags: 1 get, 2 ifChanged>, <param>...]`.
 * A write is a short program of SQL steps computed by the store; the thread
 * runs every program that arrived while it was busy in one transaction (each
 * in its own savepoint, so one failure undoes only itself), commits with
 * `synchronous=FULL`, and only then answers each program with
 * `[<write id>, <changes>, <row or null>]`, or `[<write id>, -1, <error message>]`.
 *
 * It is kept as source text, run with `eval`, so the service stays one file.
 */
export const WRITER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
// Statements by number: the store sends a statement's SQL with its first use only.
const statements = [];
let queue = [];
let scheduled = false;

function runProgram(write) {
  let changed = true;
  let changes = 0;
  let row = null;
  for (let i = 1; i < write.length; i++) {
    const step = write[i];
    const flags = step[1];
    if ((flags & 2) && !changed) continue;
    const statement = statements[step[0]];
    if (flags & 1) {
      row = statement.get(...step.slice(2)) ?? null;
    } else {
      const n = Number(statement.run(...step.slice(2)).changes);
      changed = n > 0;
      changes += n;
    }
  }
  return [write[0], changes, row];
}

const failed = (id, error) => [id, -1, String(error && error.message)];

/** Runs every program of the batch in the open transaction; with savepoints, a failing program undoes only itself. */
function runBatch(batch, savepoints) {
  const results = [];
  for (const write of batch) {
    if (!savepoints) {
      results.push(runProgram(write));
      continue;
    }
    db.exec('SAVEPOINT item');
    try {
      results.push(runProgram(write));
      db.exec('RELEASE item');
    } catch (error) {
      db.exec('ROLLBACK TO item');
      db.exec('RELEASE item');
      results.push(failed(write[0], error));
    }
  }
  return results;
}

/**
 * Commits one group. Programs almost never fail, so the group first runs
 * without a savepoint per program; if one fails, the whole transaction is
 * rolled back and the group runs again with savepoints.
 */
function flush() {
  scheduled = false;
  const batch = queue;
  queue = [];
  let results;
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      results = runBatch(batch, false);
    } catch {
      db.exec('ROLLBACK');
      db.exec('BEGIN IMMEDIATE');
      results = runBatch(batch, true);
    }
    db.exec('COMMIT');
  } catch (error) {
    try { db.exec('ROLLBACK'); } catch {}
    results = batch.map((write) => failed(write[0], error));
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
  const writes = JSON.parse(message);
  const learned = writes[0];
  for (const number in learned) statements[number] = db.prepare(learned[number]);
  for (let i = 1; i < writes.length; i++) queue.push(writes[i]);
  if (!scheduled) { scheduled = true; setImmediate(flush); }
});
`;
