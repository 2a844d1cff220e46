/**
 * Scans yield to the service's own work. The serving thread measures its event
 * loop's utilisation; while it is busier than BUSY_ABOVE, running scans start
 * no new pass, until it is calmer than CALM_BELOW (two thresholds, so that a
 * load near one of them does not flip the state at every sample). Chromium
 * already runs at the lowest priority (browser.ts); this also keeps the scan's
 * own thread, its proxy and the pages' requests out of the way of consent
 * writes. A pass waits at most MAX_YIELD_MS at a time: a service that stays
 * busy still gets its scan, slowly.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { ToWorker } from './engine-types.ts';

export const BUSY_ABOVE = 0.5;
export const CALM_BELOW = 0.3;
export const SAMPLE_MS = 200;
export const MAX_YIELD_MS = 10_000;

/** Whatever is told of the pressure: a scan's thread (its `postMessage`). */
export interface PressureListener {
  postMessage(message: Extract<ToWorker, { type: 'pressure' }>): void;
}

/** The event loop's utilisation (0 to 1) since the previous call: the default sampler. */
export function eventLoopSampler(): () => number {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

/**
 * The serving thread's side: samples only while some scan listens, and tells
 * every listener when the state changes (and a new listener at once if busy).
 */
export class PressureMonitor {
  private readonly listeners = new Set<PressureListener>();
  private timer: NodeJS.Timeout | null = null;
  private sample: (() => number) | null = null;
  busy = false;

  constructor(private readonly makeSampler: () => () => number = eventLoopSampler, private readonly everyMs = SAMPLE_MS) {}

  watch(listener: PressureListener): void {
    this.listeners.add(listener);
    if (this.busy) listener.postMessage({ type: 'pressure', busy: true });
    if (this.timer) return;
    this.sample = this.makeSampler();
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  unwatch(listener: PressureListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.sample = null;
    this.busy = false;
  }

  /** One sample (the timer's; tests call it directly). */
  tick(): void {
    if (!this.sample) return;
    const utilization = this.sample();
    const busy = this.busy ? utilization > CALM_BELOW : utilization > BUSY_ABOVE;
    if (busy === this.busy) return;
    this.busy = busy;
    for (const listener of this.listeners) listener.postMessage({ type: 'pressure', busy });
  }
}

/** A scan thread's side: what it was told last, and the wait before a pass. */
export class CalmGate {
  private busy = false;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly maxWaitMs = MAX_YIELD_MS) {}

  set(busy: boolean): void {
    this.busy = busy;
    if (!busy) for (const wake of [...this.waiting]) wake();
  }

  /** Resolves at once while calm (or when `signal` is aborted); else when calm again, or after maxWaitMs. */
  whenCalm = (signal: AbortSignal): Promise<void> => {
    if (!this.busy || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, this.maxWaitMs);
      this.waiting.add(wake);
      signal.addEventListener('abort', wake);
    });
  };
}
