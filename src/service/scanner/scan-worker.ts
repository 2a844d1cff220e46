/**
 * Where a scan's thread begins (see index.ts): it runs one scan (engine.ts)
 * at a lower priority and reports to the main thread. Messages in: `cancel`,
 * `pressure` (whether the serving thread is busy: passes wait while it is).
 * Out: `browser` (the browser's process id, so that the main thread can kill
 * it if this thread dies), `event`, then one `outcome`.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ScanOptions, ToWorker } from './engine-types.ts';
import { scan } from './engine.ts';
import type { ToMain } from './index.ts';
import { CalmGate } from './pressure.ts';

if (!parentPort) throw new Error('scan-worker.ts runs as a worker thread of the scanner');
const port = parentPort;
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 10);
} catch {
  // Not Linux, or not allowed: the default priority.
}
const controller = new AbortController();
/** Passes wait while the serving thread is busy (pressure.ts). */
const gate = new CalmGate();
port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') controller.abort();
  else if (message.type === 'pressure') gate.set(message.busy);
});
const post = (message: ToMain) => port.postMessage(message);
const outcome = await scan((workerData as { options: ScanOptions }).options, (event) => post({ type: 'event', event }), controller.signal, {
  onBrowser: (pid) => post({ type: 'browser', pid }),
  whenCalm: gate.whenCalm,
}).catch((error: unknown) => ({ state: 'failed' as const, reason: 'internal' as const, message: (error as Error).message }));
post({ type: 'outcome', outcome });
port.close();
