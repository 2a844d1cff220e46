import { windowStart, type RateCounter, type RateWindow } from '../domain/limits.ts';

/** Rate counters in this process's memory: right for one instance. */
export class MemoryRateCounter implements RateCounter {
  private readonly counts = new Map<string, { count: number; resetAt: number }>();
  private sweptAt = 0;

  async hit(windows: RateWindow[], now: number) {
    if (now - this.sweptAt > 60_000) this.sweep(now);
    return windows.map(({ key, windowMs }) => {
      const start = windowStart(now, windowMs);
      const name = `${key}:${start}`;
      let entry = this.counts.get(name);
      if (!entry) {
        entry = { count: 0, resetAt: start + windowMs };
        this.counts.set(name, entry);
      }
      entry.count += 1;
      return { ...entry };
    });
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [name, entry] of this.counts) if (entry.resetAt <= now) this.counts.delete(name);
  }

  async close(): Promise<void> {
    this.counts.clear();
  }
}
