/**
 * How the store's background threads begin (as source text, see below): their
 * connection to `workerData.path`, and a lower priority. On Linux the thread
 * runs at nice 10, so that waking it never takes a core from the thread that
 * serves HTTP.
 */
export const BACKGROUND_THREAD = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
try {
  require('node:os').setPriority(Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop()), 10);
} catch {}
const db = new DatabaseSync(workerData.path);
`;

/**
 * The SQLite checkpointer thread. The store's connection commits without
 * checkpointing (`wal_autocheckpoint = 0`), so that copying the write-ahead
 * log back into the database file, with its two fsyncs, never blocks the
 * thread that serves HTTP. This thread does it on its own connection when the
 * store asks (every 64 commits): a PASSIVE checkpoint, which never
 * waits for a writer; when the log has grown past `restartFrames` all the
 * same (commits kept arriving while it copied), a RESTART one, which lets the
 * next commit start the log again from its beginning. It answers each request
 * with the log's size in frames.
 *
 * It is kept as source text, run with `eval`, so the service stays one file.
 */
export const CHECKPOINTER_SOURCE = String.raw`
${BACKGROUND_THREAD}db.exec('PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 0;');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');

parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  let frames = -1;
  try {
    let result = passive.get();
    if (result.log > workerData.restartFrames) result = restart.get();
    frames = result.log;
  } catch {
    // Busy or interrupted: the next request tries again.
  }
  parentPort.postMessage(frames);
});
`;
