import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateCounter } from '../../src/service/store/redis-counter.ts';
import { expectError, TestService } from './harness.ts';
import { redisServerBinary, startRedis } from './redis-server.ts';

describe.runIf(redisServerBinary || process.env.CI)('two instances sharing one Redis', () => {
  let redis: { url: string; stop(): void };
  const services: TestService[] = [];
  const counters: RedisRateCounter[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    const url = redis.url;
    for (let i = 0; i < 2; i++) {
      const counter = new RedisRateCounter(url);
      counters.push(counter);
      services.push(await new TestService({ CONSENTRY_IP_RATE_LIMIT: '6' }, counter).start());
    }
  });

  afterAll(async () => {
    for (const service of services) await service.stop();
    for (const counter of counters) await counter.close();
    redis?.stop();
  });

  it('enforces one limit across both instances', async () => {
    const [a, b] = services as [TestService, TestService];
    const minute = 60_000 * 1000;
    a.clock.advance(minute - (a.clock.now().getTime() % 60_000));
    b.clock.advance(minute - (b.clock.now().getTime() % 60_000));
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await (i % 2 ? b : a).request('GET', '/health');
      expect(res.status).toBe(200);
      seen.push(res.headers.get('x-ratelimit-remaining')!);
    }
    expect(seen).toEqual(['5', '4', '3', '2', '1', '0']);
    expectError(await a.request('GET', '/health'), 429, 'RATE_LIMIT_ERROR');
    expectError(await b.request('GET', '/health'), 429, 'RATE_LIMIT_ERROR');
  });
});
