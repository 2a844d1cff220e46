import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/service/config.ts';
import { buildApp } from '../../../src/service/http/app.ts';
import { MemoryRateCounter } from '../../../src/service/store/memory-counter.ts';
import { openPostgresStore } from '../../../src/service/store/postgres.ts';
import { RedisRateCounter } from '../../../src/service/store/redis-counter.ts';
import { SqliteStore } from '../../../src/service/store/sqlite.ts';
import { freshPostgresDatabase, postgresUrl, TestClock, TestService } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('readiness', () => {
  it('is ready when the store answers, and says what it checked', async () => {
    const res = await service.request('GET', '/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', version: expect.any(String), checks: { store: 'ok' } });
  });

  it('answers 503 in the error format naming the store when the store does not answer; health stays 200', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-ready-'));
    const config = loadConfig({ db: join(dir, 'consentry.sqlite'), port: '0', 'log-level': 'silent' }, {});
    const database = postgresUrl ? await freshPostgresDatabase() : null;
    const store = database ? await openPostgresStore(database.url) : new SqliteStore(config.dbPath);
    const app = await buildApp({ config, store, clock: new TestClock(), counter: new MemoryRateCounter() });
    const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/v1`;
    try {
      expect((await fetch(`${url}/ready`)).status).toBe(200);
      await store.close();
      const res = await fetch(`${url}/ready`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = await res.json();
      expect(body).toEqual({
        success: false,
        error: {
          code: 'SERVICE_UNAVAILABLE', message: 'Not ready: store not answering', details: { failing: ['store'] },
          request_id: expect.stringMatching(/^req_/), documentation_url: '/api/v1/errors#SERVICE_UNAVAILABLE',
        },
      });
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      await app.close();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks Redis when configured: 503 naming redis while it does not answer', async () => {
    // A port nothing listens on: the counter's connection is refused.
    const redisUrl = 'redis://127.0.0.1:9';
    const counter = new RedisRateCounter(redisUrl);
    const redisService = new TestService({ CONSENTRY_REDIS_URL: redisUrl }, counter);
    await redisService.start();
    try {
      const res = await redisService.request('GET', '/ready');
      expect(res.status).toBe(503);
      expect(res.body.error.details).toEqual({ failing: ['redis'] });
    } finally {
      await redisService.stop();
      counter.close().catch(() => {});
    }
  });
});
