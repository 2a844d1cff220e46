import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePromtool } from '../../../scripts/env/debian.ts';
import { TestService, withSite } from '../harness.ts';

const TOKEN = 'metrics-token-0123456789';
const service = new TestService({ CONSENTRY_METRICS_TOKEN: TOKEN, CONSENTRY_IP_RATE_LIMIT: '30' });
const plain = new TestService();
beforeAll(async () => {
  await service.start();
  await plain.start();
});
afterAll(async () => {
  await service.stop();
  await plain.stop();
});

const metricsUrl = (s: TestService) => s.url.replace(/\/api\/v1$/, '/metrics');
const scrape = async (s: TestService, authorization?: string) => {
  const res = await fetch(metricsUrl(s), { headers: authorization ? { authorization } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

/** The value of one sample line, by its name and labels as written. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no sample ${series} in\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('is a 404 without the token, with another token, and when no token is configured', async () => {
    expect((await scrape(service)).status).toBe(404);
    expect((await scrape(service, 'Bearer metrics-token-wrong-56789')).status).toBe(404);
    expect((await scrape(service, TOKEN)).status).toBe(404);
    expect((await scrape(plain, `Bearer ${TOKEN}`)).status).toBe(404);
    const notFound = await scrape(plain);
    expect(JSON.parse(notFound.text).error.code).toBe('RESOURCE_NOT_FOUND');
  });

  it('counts requests by route and status, consent writes, write latencies, the outbox and 429s; promtool finds it valid', async () => {
    const { site } = await withSite(service);
    for (let i = 0; i < 3; i++) {
      const res = await service.request('POST', '/consent/log', {
        body: { api_key: site.publicKey, consentId: `cid_metrics_${i}`, action: 'accept_all', categories: { necessary: true, analytics: true, marketing: true }, policyVersion: '1' },
      });
      expect(res.status).toBe(201);
    }
    // The per-address limit (30 a minute here): some of these are refused.
    const answers = await Promise.all(Array.from({ length: 40 }, () => service.request('GET', '/health')));
    const refused = answers.filter((a) => a.status === 429).length;
    expect(refused).toBeGreaterThan(0);
    service.clock.advance(61_000); // a new minute: the scrape itself is not refused

    const { status, type, text } = await scrape(service, `Bearer ${TOKEN}`);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'consentry_http_requests_total{route="/api/v1/consent/log",method="POST",status="201"}')).toBe(3);
    expect(sample(text, 'consentry_http_requests_total{route="/api/v1/health",method="GET",status="429"}')).toBe(refused);
    expect(sample(text, 'consentry_rate_limit_refusals_total')).toBe(refused);
    expect(sample(text, 'consentry_consent_events_written_total')).toBe(3);
    expect(sample(text, 'consentry_store_write_seconds_count')).toBeGreaterThanOrEqual(3);
    expect(text).toContain('consentry_store_fsync_seconds_bucket{le="+Inf"}');
    expect(sample(text, 'consentry_webhook_outbox{state="pending"}') + sample(text, 'consentry_webhook_outbox{state="failed"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(1e6);

    const promtool = ensurePromtool();
    if (!promtool.path) {
      console.warn(`\n!!! promtool could not be had (${promtool.reason}): the exposition format was NOT checked by promtool !!!\n`);
      return;
    }
    const check = spawnSync(promtool.path, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
    expect(check.status).toBe(0);
  });
});
