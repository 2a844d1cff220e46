import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateCounter } from '../../src/service/store/redis-counter.ts';
import { expectError, TestService } from './harness.ts';

const redisServer = spawnSync('sh', ['-c', 'command -v redis-server']).stdout.toString().trim();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.runIf(redisServer || process.env.CI)('two instances sharing one Redis', () => {
  let redis: ChildProcess;
  let url = '';
  const services: TestService[] = [];
  const counters: RedisRateCounter[] = [];

  beforeAll(async () => {
    if (!redisServer) throw new Error('redis-server is not installed (npm test installs it from Debian)');
    const port = await freePort();
    redis = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    url = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50; i++) {
      const probe = new RedisRateCounter(url);
      try {
        await probe.hit([{ key: 'probe', limit: 1, windowMs: 1000 }], Date.now());
        await probe.close();
        break;
      } catch {
        await probe.close().catch(() => {});
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    for (let i = 0; i < 2; i++) {
      const counter = new RedisRateCounter(url);
      counters.push(counter);
      services.push(await new TestService({ CONSENTRY_IP_RATE_LIMIT: '6' }, counter).start());
    }
  });

  afterAll(async () => {
    for (const service of services) await service.stop();
    for (const counter of counters) await counter.close();
    redis?.kill();
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
