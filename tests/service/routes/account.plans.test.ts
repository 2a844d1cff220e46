import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '../../../src/service/domain/accounts.ts';
import { warningDue } from '../../../src/service/domain/plan-expiry.ts';
import { TestService, withSite } from '../harness.ts';
import { cli, startBundle, stopBundle, testStore } from '../process.ts';
import { Receiver } from '../receiver.ts';

const DAY = 24 * 60 * 60 * 1000;
const EVENTS = ['subscription.expiring', 'subscription.expired'];

describe('plans that end', () => {
  const service = new TestService({ CONSENTRY_WEBHOOK_ALLOW_PRIVATE: '1' });
  beforeAll(() => service.start());
  afterAll(() => service.stop());

  it('warns 7 days and 1 day before, then falls back to pro once, and keeps recording consent', async () => {
    const receiver = await new Receiver().start();
    try {
      const { accountId, secretKey, site } = await withSite(service, 'Ending');
      const hook = await service.request('POST', '/webhooks', { key: secretKey, body: { url: receiver.url, events: EVENTS } });
      receiver.secret = hook.body.secret;
      // Deliveries done before the clock jumps days ahead (an attempt in flight would outlive its lock).
      const delivered = async (count: number) => {
        await receiver.waitFor(count);
        let log = await service.request('GET', `/webhooks/${hook.body.endpoint.id}/deliveries`, { key: secretKey });
        for (let i = 0; i < 200 && log.body.data.some((d: { state: string }) => d.state !== 'succeeded'); i++) {
          await new Promise((r) => setTimeout(r, 25)); // the 2xx is recorded just after the receiver answered
          log = await service.request('GET', `/webhooks/${hook.body.endpoint.id}/deliveries`, { key: secretKey });
        }
        expect(log.body.data.map((d: { state: string }) => d.state)).toEqual(Array(count).fill('succeeded'));
      };
      const accounts = new Accounts(service.store, service.clock);
      const ends = new Date(service.clock.now().getTime() + 10 * DAY);
      await accounts.setPlan(accountId, 'enterprise', ends);

      let account = (await service.request('GET', '/account', { key: secretKey })).body.account;
      expect(account).toMatchObject({ plan: 'enterprise', planExpiresAt: ends.toISOString() });
      expect(await service.app.consentry.checkPlans()).toEqual({ warned: 0, expired: 0 });

      service.clock.advance(3.5 * DAY); // 6.5 days left
      expect(await service.app.consentry.checkPlans()).toEqual({ warned: 1, expired: 0 });
      expect(await service.app.consentry.checkPlans()).toEqual({ warned: 0, expired: 0 });
      await delivered(1);
      service.clock.advance(6 * DAY); // half a day left
      expect(await service.app.consentry.checkPlans()).toEqual({ warned: 1, expired: 0 });
      expect(await service.app.consentry.checkPlans()).toEqual({ warned: 0, expired: 0 });
      await delivered(2);
      service.clock.advance(DAY); // half a day past the end
      const expiredAt = service.clock.now().toISOString();
      expect(await service.app.consentry.checkPlans()).toEqual({ warned: 0, expired: 1 });
      expect(await service.app.consentry.checkPlans()).toEqual({ warned: 0, expired: 0 });

      account = (await service.request('GET', '/account', { key: secretKey })).body.account;
      expect(account).toMatchObject({ plan: 'pro', planExpiresAt: null });
      // Proof of consent never stops.
      const logged = await service.request('POST', '/consent/log', {
        body: { api_key: site.publicKey, consentId: 'cid_after_end', action: 'accept_all', categories: {}, policyVersion: '1' },
      });
      expect(logged.status).toBeLessThan(300);

      await delivered(3);
      expect(receiver.received).toHaveLength(3);
      expect(receiver.received.every((r) => r.verified)).toBe(true);
      const payloads = receiver.received.map((r) => JSON.parse(r.body)).sort((a, b) => a.created_at.localeCompare(b.created_at));
      expect(payloads.map((p) => [p.type, p.data.days_left])).toEqual([
        ['subscription.expiring', 7], ['subscription.expiring', 1], ['subscription.expired', undefined],
      ]);
      expect(payloads[0].data).toEqual({ account_id: accountId, plan: 'enterprise', expires_at: ends.toISOString(), days_left: 7 });
      expect(payloads[2].data).toEqual({ account_id: accountId, old_plan: 'enterprise', new_plan: 'pro', expires_at: ends.toISOString(), expired_at: expiredAt });
    } finally {
      await receiver.stop();
    }
  });

  it('a new end date starts the warnings again; no end date means none; an account key cannot set the plan', async () => {
    const { accountId, secretKey } = await withSite(service, 'Renewed');
    const accounts = new Accounts(service.store, service.clock);
    await accounts.setPlan(accountId, 'pro', new Date(service.clock.now().getTime() + 5 * DAY));
    expect(await service.app.consentry.checkPlans()).toMatchObject({ warned: 1 });
    await accounts.setPlan(accountId, 'enterprise_plus', new Date(service.clock.now().getTime() + 6 * DAY)); // renewed
    expect(await service.app.consentry.checkPlans()).toMatchObject({ warned: 1 });
    await accounts.setPlan(accountId, 'enterprise_plus');
    service.clock.advance(30 * DAY);
    expect(await service.app.consentry.checkPlans()).toEqual({ warned: 0, expired: 0 });
    expect((await service.request('GET', '/account', { key: secretKey })).body.account).toMatchObject({ plan: 'enterprise_plus', planExpiresAt: null });
    for (const method of ['PUT', 'PATCH', 'POST']) {
      const res = await service.request(method, '/account', { key: secretKey, body: { plan: 'enterprise_plus', planExpiresAt: null } });
      expect(res.status).toBe(404);
    }
  });

  it('two checks at once (two instances on one database) expire a plan once, with one delivery', async () => {
    const { accountId, secretKey } = await withSite(service, 'Raced');
    const hook = await service.request('POST', '/webhooks', { key: secretKey, body: { url: 'http://127.0.0.1:9/hooks', events: ['subscription.expired'] } });
    await new Accounts(service.store, service.clock).setPlan(accountId, 'enterprise', new Date(service.clock.now().getTime() - 1000));
    const results = await Promise.all([service.app.consentry.checkPlans(), service.app.consentry.checkPlans(), service.app.consentry.checkPlans()]);
    expect(results.reduce((sum, r) => sum + r.expired, 0)).toBe(1);
    const log = await service.request('GET', `/webhooks/${hook.body.endpoint.id}/deliveries`, { key: secretKey });
    expect(log.body.data.map((d: { eventType: string }) => d.eventType)).toEqual(['subscription.expired']);
  });

  it('picks the nearest warning a plan is within', () => {
    expect(warningDue(8 * DAY)).toBeNull();
    expect(warningDue(7 * DAY)).toBe(7);
    expect(warningDue(2 * DAY)).toBe(7);
    expect(warningDue(DAY)).toBe(1);
    expect(warningDue(60_000)).toBe(1);
  });
});

describe('a plan that ended while the service was down', () => {
  it('falls back when the service starts, and subscription.expired fires once across restarts', async () => {
    const receiver = await new Receiver().start();
    const env = { CONSENTRY_WEBHOOK_ALLOW_PRIVATE: '1' };
    const db = await testStore('plans');
    const { accountId, secretKey } = cli(['accounts', 'create', '--name', 'Lapsed', '--plan', 'enterprise', ...db]);
    expect(() => cli(['accounts', 'set-plan', '--account', accountId, '--plan', 'pro', '--until', 'next week', ...db])).toThrow(/--until must be/);
    // A command refused before its first query says so and fails (it used to exit 0 silently on SQLite).
    expect(() => cli(['keys', 'create', '--account', accountId, '--mode', 'bad', ...db])).toThrow(/--mode must be live or test/);
    const call = (url: string, method: string, path: string, body?: unknown) => fetch(`${url}${path}`, {
      method, headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }),
    }).then((r) => r.json() as Promise<any>);
    let running = await startBundle(db, env);
    try {
      const hook = await call(running.url, 'POST', '/webhooks', { url: receiver.url, events: EVENTS });
      receiver.secret = hook.secret;
      await stopBundle(running.child);

      const set = cli(['accounts', 'set-plan', '--account', accountId, '--plan', 'enterprise', '--until', '2026-01-31', ...db]);
      expect(set).toEqual({ accountId, plan: 'enterprise', planExpiresAt: '2026-01-31T00:00:00.000Z' });

      running = await startBundle(db, env);
      // The check runs before the service listens: the plan has already fallen back.
      expect((await call(running.url, 'GET', '/account')).account).toMatchObject({ plan: 'pro', planExpiresAt: null });
      await receiver.waitFor(1);
      const payload = JSON.parse(receiver.received[0]!.body);
      expect(receiver.received[0]!.verified).toBe(true);
      expect(payload).toMatchObject({
        type: 'subscription.expired', data: { account_id: accountId, old_plan: 'enterprise', new_plan: 'pro', expires_at: '2026-01-31T00:00:00.000Z' },
      });
      expect(Date.parse(payload.data.expired_at)).toBeGreaterThan(Date.parse('2026-01-31T00:00:00.000Z'));
      await stopBundle(running.child);

      running = await startBundle(db, env);
      const deliveries = await call(running.url, 'GET', `/webhooks/${hook.endpoint.id}/deliveries`);
      expect(deliveries.data.map((d: { eventType: string }) => d.eventType)).toEqual(['subscription.expired']);
    } finally {
      await stopBundle(running.child);
      await receiver.stop();
    }
  });
});
