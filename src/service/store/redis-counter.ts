import { Redis } from 'ioredis';
import { windowStart, type RateCounter, type RateWindow } from '../domain/limits.ts';

/** Rate counters in Redis, shared by every service instance pointed at it. One round trip per request. */
export class RedisRateCounter implements RateCounter {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
    // Connection trouble surfaces as failed hits (handled by the caller); ioredis reconnects by itself.
    this.redis.on('error', () => {});
  }

  async hit(windows: RateWindow[], now: number) {
    const pipeline = this.redis.multi();
    const resets = windows.map(({ key, windowMs }) => {
      const start = windowStart(now, windowMs);
      const name = `consentry:rl:${key}:${start}`;
      pipeline.incr(name);
      // Keep the counter a little past its window so late clocks still see it. The expiry is relative: Redis's
      // clock need not agree with this instance's (nor with a test's clock).
      pipeline.pexpire(name, start + windowMs + 1000 - now);
      return start + windowMs;
    });
    const results = (await pipeline.exec()) ?? [];
    return windows.map((_, i) => {
      const [error, count] = results[i * 2] ?? [new Error('no reply'), 0];
      if (error) throw error;
      return { count: Number(count), resetAt: resets[i]! };
    });
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis did not answer within 1 s')), 1000);
    });
    try {
      await Promise.race([this.redis.ping(), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
