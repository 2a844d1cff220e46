/**
 * Where the store's background threads begin (see SqliteExecutor): their
 * connection to `workerData.path`, a lower priority, then the work of their
 * role. On Linux the thread runs at nice 10, so that waking it never takes a
 * core from the thread that serves HTTP.
 *
 * Node loads this module as the thread's entry: from the source tree as it
 * is (types stripped), and from the service bundle as code built into it
 * (see sqlite-thread-url.ts).
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { runAuditWriter } from './sqlite-audit.ts';
import { runCheckpointer } from './sqlite-checkpointer.ts';
import type { ThreadData } from './sqlite-threads.ts';

if (!parentPort) throw new Error('sqlite-thread.ts runs as a worker thread of the SQLite store');
const data = workerData as ThreadData;
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 10);
} catch {
  // Not Linux, or not allowed: the default priority.
}
const db = new DatabaseSync(data.path);
if (data.role === 'audit') runAuditWriter(db, parentPort);
else runCheckpointer(db, parentPort, data.restartFrames);
