/**
 * Scans yield to the service (src/service/scanner/pressure.ts): the serving
 * thread's monitor with a scripted sampler, and a scan thread's gate.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUSY_ABOVE, CALM_BELOW, CalmGate, PressureMonitor } from '../../../src/service/scanner/pressure.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A monitor whose samples are the given utilisations, in turn, and a listener that keeps what it is told. */
function scripted(...utilisations: number[]) {
  const monitor = new PressureMonitor(() => () => utilisations.shift() ?? 0, 60_000);
  const told: boolean[] = [];
  const listener = { postMessage: (m: { busy: boolean }) => told.push(m.busy) };
  return { monitor, told, listener };
}

describe('the serving thread\'s pressure monitor', () => {
  it('says busy above BUSY_ABOVE and calm only below CALM_BELOW, once per change', () => {
    const between = (BUSY_ABOVE + CALM_BELOW) / 2;
    const { monitor, told, listener } = scripted(0.1, between, 0.9, 0.95, between, 0.1, 0.2);
    monitor.watch(listener);
    for (let i = 0; i < 7; i++) monitor.tick();
    // 0.1 calm; between: still calm; 0.9 busy; 0.95 still busy; between: still busy; 0.1 calm; 0.2 still calm.
    expect(told).toEqual([true, false]);
    monitor.unwatch(listener);
  });

  it('tells a scan that starts while the service is busy at once, and stops sampling when no scan listens', () => {
    const { monitor, told, listener } = scripted(0.9);
    const first = { postMessage: vi.fn() };
    monitor.watch(first);
    monitor.tick();
    expect(first.postMessage).toHaveBeenCalledWith({ type: 'pressure', busy: true });
    monitor.watch(listener);
    expect(told).toEqual([true]);
    monitor.unwatch(first);
    monitor.unwatch(listener);
    expect(monitor.busy).toBe(false);
    monitor.tick();
    expect(told).toEqual([true]);
  });
});

describe('a scan thread\'s gate', () => {
  it('lets a pass go at once while calm', async () => {
    const gate = new CalmGate(1000);
    await expect(gate.whenCalm(new AbortController().signal)).resolves.toBeUndefined();
  });

  it('holds passes while busy, and lets them all go when calm again', async () => {
    vi.useFakeTimers();
    const gate = new CalmGate(10_000);
    gate.set(true);
    let gone = 0;
    const waits = [gate.whenCalm(new AbortController().signal), gate.whenCalm(new AbortController().signal)].map((p) => p.then(() => gone++));
    await vi.advanceTimersByTimeAsync(9_000);
    expect(gone).toBe(0);
    gate.set(false);
    await Promise.all(waits);
    expect(gone).toBe(2);
  });

  it('holds a pass no longer than its longest wait, and not at all once the scan stops', async () => {
    vi.useFakeTimers();
    const gate = new CalmGate(10_000);
    gate.set(true);
    let gone = false;
    const wait = gate.whenCalm(new AbortController().signal).then(() => { gone = true; });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(gone).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await wait;
    expect(gone).toBe(true);

    const stop = new AbortController();
    const held = gate.whenCalm(stop.signal);
    stop.abort();
    await expect(held).resolves.toBeUndefined();
    await expect(gate.whenCalm(stop.signal)).resolves.toBeUndefined();
  });
});
