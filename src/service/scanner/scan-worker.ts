/**
 * Where a scan's thread begins (see index.ts): it runs one scan (engine.ts)
 * at a lower priority and reports to the main thread. Messages in: `cancel`.
 * Out: `browser` (the browser's process id, so that the main thread can kill
 * it if this thread dies), `event`, then one `outcome`.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ScanOptions } from './engine-types.ts';
import { scan } from './engine.ts';
import type { ToMain } from './index.ts';

if (!parentPort) throw new Error('scan-worker.ts runs as a worker thread of the scanner');
const port = parentPort;
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 10);
} catch {
  // Not Linux, or not allowed: the default priority.
}
const controller = new AbortController();
port.on('message', (message: { type: 'cancel' }) => {
  if (message.type === 'cancel') controller.abort();
});
const post = (message: ToMain) => port.postMessage(message);
const outcome = await scan((workerData as { options: ScanOptions }).options, (event) => post({ type: 'event', event }), controller.signal, {
  onBrowser: (pid) => post({ type: 'browser', pid }),
}).catch((error: unknown) => ({ state: 'failed' as const, reason: 'internal' as const, message: (error as Error).message }));
post({ type: 'outcome', outcome });
port.close();
