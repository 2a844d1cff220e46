/**
 * The SQLite writer thread. Every write of the embedded store runs here, so
 * the fsync of a commit never blocks the thread that serves HTTP: while one
 * group of writes is being committed, the next group is already gathering.
 *
 * Writes arrive as JSON text of an array, one per turn of the service's event loop. A write is a short program of SQL steps computed by the store; the thread
 * runs every program that arrived while it was busy in one transaction (each
 * in its own savepoint, so one failure undoes only itself), commits with
 * `synchronous=FULL`, and only then answers each program.
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
const statement = (step) => statements[step.statement];
const learn = (write) => {
  for (const step of write.steps) if (step.sql !== undefined) statements[step.statement] = db.prepare(step.sql);
};
let queue = [];
let scheduled = false;

function runProgram(steps) {
  let changed = true;
  let changes = 0;
  let row = null;
  for (const step of steps) {
    if (step.ifChanged && !changed) continue;
    if (step.get) {
      row = statement(step).get(...step.params) ?? null;
    } else {
      const n = Number(statement(step).run(...step.params).changes);
      changed = n > 0;
      changes += n;
    }
  }
  return { changes, row };
}

const failed = (id, error) => ({ id, ok: false, message: String(error && error.message) });

/** Runs every program of the batch in the open transaction; with savepoints, a failing program undoes only itself. */
function runBatch(batch, savepoints) {
  const results = [];
  for (const m of batch) {
    if (!savepoints) {
      results.push({ id: m.id, ok: true, ...runProgram(m.steps) });
      continue;
    }
    db.exec('SAVEPOINT item');
    try {
      results.push({ id: m.id, ok: true, ...runProgram(m.steps) });
      db.exec('RELEASE item');
    } catch (error) {
      db.exec('ROLLBACK TO item');
      db.exec('RELEASE item');
      results.push(failed(m.id, error));
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
    results = batch.map((m) => failed(m.id, error));
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
  for (const write of JSON.parse(message)) {
    learn(write);
    queue.push(write);
  }
  if (!scheduled) { scheduled = true; setImmediate(flush); }
});
`;
