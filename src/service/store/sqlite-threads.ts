import { Worker } from 'node:worker_threads';
import { THREAD_ENTRY } from './sqlite-thread-url.ts';

/** What a background thread of the SQLite store is for, and its database file. */
export type ThreadData =
  | { role: 'audit'; path: string }
  | { role: 'checkpointer'; path: string; restartFrames: number };

/** Starts a background thread of the store (its code: sqlite-thread.ts). */
export function startThread(data: ThreadData): Worker {
  return new Worker(THREAD_ENTRY, { workerData: data });
}
