import type { DatabaseSync } from 'node:sqlite';
import type { MessagePort } from 'node:worker_threads';

/**
 * The SQLite checkpointer thread. The store's connection commits without
 * checkpointing (`wal_autocheckpoint = 0`), so that copying the write-ahead
 * log back into the database file, with its two fsyncs, never blocks the
 * thread that serves HTTP. This thread does it on its own connection when the
 * store asks (every 64 commits): a PASSIVE checkpoint, which never
 * waits for a writer; when the log has grown past `restartFrames` all the
 * same (commits kept arriving while it copied), a RESTART one, which lets the
 * next commit start the log again from its beginning. It answers each request
 * with the log's size in frames (-1 when the checkpoint could not run).
 */
export function runCheckpointer(db: DatabaseSync, port: MessagePort, restartFrames: number): void {
  db.exec('PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 0;');
  const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
  const logFrames = (result: unknown): number => Number((result as { log: number }).log);

  port.on('message', (message: 'checkpoint' | 'close') => {
    if (message === 'close') {
      db.close();
      port.close();
      return;
    }
    let frames = -1;
    try {
      frames = logFrames(passive.get());
      if (frames > restartFrames) frames = logFrames(restart.get());
    } catch {
      // Busy or interrupted: the next request tries again.
    }
    port.postMessage(frames);
  });
}
