/**
 * The scan engine's entry for the service's main thread. The engine itself
 * (a real headless Chromium driven over the DevTools Protocol) is being built;
 * until it lands, every scan fails at once with reason `internal`.
 */
import type { EngineEvent, EngineOutcome, ScanOptions } from './engine-types.ts';

export type { CapturedHost, CapturedItem, EngineEvent, EngineOutcome, PageResult, RunScan, ScanOptions } from './engine-types.ts';
export { SCAN_DEFAULTS } from './engine-types.ts';

/** Scans a site; resolves with how the scan ended (never rejects). Pages are reported through `onEvent` as they are done. */
export async function runScan(options: ScanOptions, onEvent: (e: EngineEvent) => void, signal: AbortSignal): Promise<EngineOutcome> {
  void options;
  void onEvent;
  if (signal.aborted) return { state: 'cancelled' };
  return { state: 'failed', reason: 'internal', message: 'The scan engine is not built yet.' };
}
