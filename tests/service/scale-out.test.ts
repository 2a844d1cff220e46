import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl } from './harness.ts';
import { cli, startBundle, stopBundle, testStore } from './process.ts';
import { Receiver } from './receiver.ts';
import { startRedis } from './redis-server.ts';

type Instance = Awaited<ReturnType<typeof startBundle>>;

/** Scale-out as the README describes it: two processes of the shipped bundle on one PostgreSQL and one Redis. */
describe.runIf(postgresUrl)('two service processes on one PostgreSQL and one Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let a: Instance;
  let b: Instance;
  let secretKey = '';
  const receiver = new Receiver();

  beforeAll(async () => {
    redis = await startRedis();
    await receiver.start();
    const store = await testStore('scale');
    secretKey = cli(['accounts', 'create', '--name', 'Scale', ...store]).secretKey;
    const env = { CONSENTRY_REDIS_URL: redis.url, CONSENTRY_IP_RATE_LIMIT: '40', CONSENTRY_SITE_RATE_LIMIT: '20', CONSENTRY_WEBHOOK_ALLOW_PRIVATE: '1' };
    [a, b] = await Promise.all([startBundle(store, env), startBundle(store, env)]);
  });

  afterAll(async () => {
    await Promise.all([a && stopBundle(a.child), b && stopBundle(b.child)]);
    await receiver.stop();
    redis?.stop();
  });

  const call = (instance: Instance, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${instance.url}${path}`, {
      method, headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json', ...headers }, ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  it('shares data, rate limits and the webhook outbox', async () => {
    const site = (await (await call(a, 'POST', '/sites', { name: 'Scale', domain: 'scale.example.com' })).json()).site;
    const hook = await (await call(b, 'POST', '/webhooks', { url: receiver.url, events: ['consent.given'] })).json();
    receiver.secret = hook.secret;
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${(i % 2 ? b : a).url}/consent/log`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api_key: site.publicKey, consentId: `cid_scale_${i}0000`, action: 'accept_all', categories: { analytics: true }, policyVersion: '1' }),
      });
      expect(res.status).toBe(201);
    }
    const events = await (await call(b, 'GET', `/sites/${site.id}/consent/events`)).json();
    expect(events.pagination.total).toBe(10);

    await receiver.waitFor(10);
    await new Promise((r) => setTimeout(r, 1500)); // both dispatchers poll: give a double send the chance to show
    expect(receiver.received).toHaveLength(10);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(10);
    expect(receiver.received.every((r) => r.verified)).toBe(true);

    // One per-address budget of 40 a minute across both processes (real clock: start well inside a minute).
    if (Date.now() % 60_000 > 55_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 100));
    const remaining: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${(i % 2 ? a : b).url}/health`, { headers: { 'x-forwarded-for': '198.51.100.200' } });
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('x-ratelimit-remaining')!);
    }
    expect(remaining).toEqual(Array.from({ length: 40 }, (_, i) => String(39 - i)));
    const over = await fetch(`${a.url}/health`, { headers: { 'x-forwarded-for': '198.51.100.200' } });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);

    // One cap of 20 heartbeats a minute for the site across both processes, whatever the addresses.
    if (Date.now() % 60_000 > 55_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 100));
    const heartbeat = (instance: Instance, i: number) => fetch(`${instance.url}/heartbeat`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
      body: JSON.stringify({ api_key: site.publicKey, session_id: `sess_scale_${i}`, page_url: 'https://scale.example.com/' }),
    });
    const left: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await heartbeat(i % 2 ? a : b, i);
      expect(res.status).toBe(200);
      left.push(res.headers.get('x-ratelimit-remaining')!);
    }
    expect(left).toEqual(Array.from({ length: 20 }, (_, i) => String(19 - i)));
    expect((await heartbeat(a, 100)).status).toBe(429);
    expect((await heartbeat(b, 101)).status).toBe(429);
  });
});
