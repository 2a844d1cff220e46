// The audit log is read per account (GET /audit-log): a call no account can be named for would be an entry nobody
// can ever read, kept 90 days. Such calls are counted instead (consentry_requests_without_account_total at /metrics).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestService, withSite } from '../harness.ts';

const TOKEN = 'metrics-token-0123456789';
const service = new TestService({ CONSENTRY_IP_RATE_LIMIT: '1000', CONSENTRY_METRICS_TOKEN: TOKEN });
beforeAll(() => service.start());
afterAll(() => service.stop());

/** The counter as GET /metrics shows it; the scrape itself, which has no account either, is counted after it answers. */
async function withoutAccount(): Promise<number> {
  const text = await (await fetch(service.url.replace(/\/api\/v1$/, '/metrics'), { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  return Number(/^consentry_requests_without_account_total (\d+)$/m.exec(text)![1]);
}

const rowsWithoutAccount = async () =>
  Number((await service.store.sql.get('SELECT COUNT(*) AS n FROM audit_log WHERE account_id IS NULL', []))?.n);

describe('calls without an account', () => {
  it('leave no audit entry and are counted; calls of an account are still audited', async () => {
    const { secretKey, site } = await withSite(service, 'Audited');
    const before = await withoutAccount();
    const choice = { consentId: 'cid_0123456789', action: 'reject_all', categories: {}, policyVersion: '1' };
    const anonymous = [
      await service.request('GET', '/no-such-route'),
      await service.request('GET', '/sites'),
      await service.request('GET', '/sites', { key: 'ck_notakey' }),
      await service.request('POST', '/consent/log', { body: { api_key: 'pk_notakey', ...choice } }),
      await service.request('POST', '/consent/log?api_version=1', { body: { api_key: 'pk_notakey', ...choice } }),
      await service.request('POST', '/heartbeat', { body: { session_id: 'sess_01234567', page_url: 'https://example.com/' } }),
      await service.request('GET', '/banner/pk_notakey'),
      await service.request('GET', '/health'),
    ];
    expect(anonymous.map((res) => res.status)).toEqual([404, 401, 401, 401, 401, 401, 404, 200]);
    expect(await withoutAccount()).toBe(before + 1 + anonymous.length);

    // The account's own calls, good and bad, are audited: wait for the last of them to be written.
    await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice, categories: { nope: true } } });
    const last = await service.request('GET', '/sites/site_missing', { key: secretKey });
    expect(last.status).toBe(404);
    let routes: string[] = [];
    for (let i = 0; i < 50 && !routes.includes('/api/v1/consent/log'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // entries are written in batches every 100 ms
      routes = (await service.request('GET', '/audit-log?limit=100', { key: secretKey })).body.data.map((e: { route: string }) => e.route);
    }
    expect(routes).toContain('/api/v1/consent/log');
    expect(await withoutAccount()).toBe(before + 2 + anonymous.length);
    expect(await rowsWithoutAccount()).toBe(0);
  });
});
