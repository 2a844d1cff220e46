/**
 * The scan engine's entry for the service's main thread. Each scan runs in a
 * worker thread of its own (scan-worker.ts → engine.ts) that drives a headless
 * Chromium in its own process group, so that the thread serving HTTP only
 * relays events. Whatever happens to the thread (cancel, crash, the service
 * exiting), the browser is killed.
 */
import { Worker } from 'node:worker_threads';
import { killGroup } from './browser.ts';
import type { EngineEvent, EngineOutcome, ScanOptions, ToWorker } from './engine-types.ts';
import { PressureMonitor } from './pressure.ts';
import { THREAD_ENTRY } from './scan-worker-url.ts';

export type { CapturedHost, CapturedItem, EngineEvent, EngineOutcome, PageResult, RunScan, ScanOptions } from './engine-types.ts';
export { SCAN_DEFAULTS } from './engine-types.ts';

/** Messages from a scan's thread (scan-worker.ts). */
export type ToMain = { type: 'browser'; pid: number } | { type: 'event'; event: EngineEvent } | { type: 'outcome'; outcome: EngineOutcome };

/** How long a cancelled scan may take to close its browser before its thread is stopped. */
const CANCEL_GRACE_MS = 10_000;

/** Tells running scans when this thread is busy (pressure.ts). */
const pressure = new PressureMonitor();

function tell(worker: Worker, message: ToWorker): void {
  worker.postMessage(message);
}

/** Browsers of running scans: killed if the service exits mid-scan. */
const browsers = new Set<number>();
let exitHookInstalled = false;

/**
 * Scans a site; resolves with how the scan ended (never rejects). Pages are
 * reported through `onEvent` as they are done; aborting `signal` cancels the
 * scan (outcome `cancelled`, the browser gone).
 */
export function runScan(options: ScanOptions, onEvent: (e: EngineEvent) => void, signal: AbortSignal): Promise<EngineOutcome> {
  if (signal.aborted) return Promise.resolve({ state: 'cancelled' });
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => browsers.forEach(killGroup));
  }
  return new Promise((resolve) => {
    let browserPid: number | undefined;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const worker = new Worker(THREAD_ENTRY, { workerData: { options } });
    pressure.watch(worker);
    const finish = (outcome: EngineOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(graceTimer);
      signal.removeEventListener('abort', onAbort);
      pressure.unwatch(worker);
      void worker.terminate().finally(() => {
        // The thread closes its browser itself; after a crash or a forced stop, this makes sure.
        if (browserPid) {
          killGroup(browserPid);
          browsers.delete(browserPid);
        }
        resolve(outcome);
      });
    };
    const onAbort = () => {
      tell(worker, { type: 'cancel' });
      graceTimer = setTimeout(() => finish({ state: 'cancelled' }), CANCEL_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort);
    worker.on('message', (message: ToMain) => {
      if (message.type === 'browser') {
        browserPid = message.pid;
        browsers.add(message.pid);
      } else if (message.type === 'event') {
        if (settled) return;
        try {
          onEvent(message.event);
        } catch {
          // The caller's handler must not break the scan.
        }
      } else {
        finish(message.outcome);
      }
    });
    worker.on('error', (error) => finish({ state: 'failed', reason: 'internal', message: `The scan stopped: ${error.message}` }));
    worker.on('exit', () => finish(signal.aborted ? { state: 'cancelled' } : { state: 'failed', reason: 'internal', message: 'The scan stopped before it ended' }));
  });
}
