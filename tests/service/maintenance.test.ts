import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestService, withSite } from './harness.ts';

const DAY = 24 * 60 * 60 * 1000;
const kept = new TestService({ CONSENTRY_CONSENT_RETENTION_DAYS: '30' });
const forever = new TestService();
beforeAll(async () => {
  await kept.start();
  await forever.start();
});
afterAll(async () => {
  await kept.stop();
  await forever.stop();
});

const choice = (consentId: string, publicKey: string) => ({ api_key: publicKey, consentId, action: 'accept_all', categories: { analytics: true }, policyVersion: '1' });

describe('retention of proof of consent', () => {
  it('purges consent events older than CONSENTRY_CONSENT_RETENTION_DAYS, with an audit entry per account saying how many', async () => {
    const a = await withSite(kept, 'Alpha');
    const b = await withSite(kept, 'Beta');
    for (const id of ['cid_old_alpha_1', 'cid_old_alpha_2']) expect((await kept.request('POST', '/consent/log', { body: choice(id, a.site.publicKey) })).status).toBe(201);
    expect((await kept.request('POST', '/consent/log', { body: choice('cid_old_beta_1', b.site.publicKey) })).status).toBe(201);
    kept.clock.advance(29 * DAY);
    expect((await kept.request('POST', '/consent/log', { body: choice('cid_recent_alpha', a.site.publicKey) })).status).toBe(201);

    await kept.app.consentry.purge(); // day 29: nothing is older than 30 days yet
    expect((await kept.request('GET', `/consent/events/${a.site.id}`, { key: a.secretKey })).body.pagination.total).toBe(3);

    kept.clock.advance(2 * DAY); // day 31: the first three are past their retention, the recent one is not
    await kept.app.consentry.purge();
    const left = await kept.request('GET', `/consent/events/${a.site.id}`, { key: a.secretKey });
    expect(left.body.data.map((e: { consentId: string }) => e.consentId)).toEqual(['cid_recent_alpha']);
    expect((await kept.request('GET', `/consent/events/${b.site.id}`, { key: b.secretKey })).body.pagination.total).toBe(0);

    const audit = await kept.request('GET', '/audit-log', { key: a.secretKey });
    const purge = audit.body.data.filter((e: { method: string }) => e.method === 'PURGE');
    expect(purge).toEqual([expect.objectContaining({
      route: 'retention', path: 'consent_events', status: 200,
      detail: { consentEventsPurged: 2, olderThan: expect.any(String), retentionDays: 30 },
    })]);
    const betaPurge = (await kept.request('GET', '/audit-log', { key: b.secretKey })).body.data.filter((e: { method: string }) => e.method === 'PURGE');
    expect(betaPurge.map((e: { detail: { consentEventsPurged: number } }) => e.detail.consentEventsPurged)).toEqual([1]);

    // A purge with nothing to remove writes no entry.
    await kept.app.consentry.purge();
    expect((await kept.request('GET', '/audit-log', { key: a.secretKey })).body.data.filter((e: { method: string }) => e.method === 'PURGE')).toHaveLength(1);
  });

  it('keeps consent events for ever by default', async () => {
    const { site, secretKey } = await withSite(forever, 'Keep');
    expect((await forever.request('POST', '/consent/log', { body: choice('cid_kept_forever', site.publicKey) })).status).toBe(201);
    forever.clock.advance(20 * 365 * DAY);
    await forever.app.consentry.purge();
    expect((await forever.request('GET', `/consent/events/${site.id}`, { key: secretKey })).body.pagination.total).toBe(1);
  });
});
