import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPLAY_PROFILES } from '../../../src/shared/consent.ts';
import { DISPLAY_USAGE_GRACE_MS } from '../../../src/service/domain/display-usage.ts';
import { buildApp, type App } from '../../../src/service/http/app.ts';
import { MemoryRateCounter } from '../../../src/service/store/memory-counter.ts';
import { TestService, withSite } from '../harness.ts';
import { Receiver } from '../receiver.ts';

const HOUR = 60 * 60 * 1000;
const zero = () => Object.fromEntries(DISPLAY_PROFILES.map((p) => [p, 0]));

/**
 * One store, several service instances in turn and at once (each its own app, memory and timers), all on the
 * test clock: what a restart and a second instance look like to the hourly webhook.
 */
describe('a11y.profile_used', () => {
  const service = new TestService({ CONSENTRY_WEBHOOK_ALLOW_PRIVATE: '1' });
  const receiver = new Receiver();
  const extra: App[] = [];
  beforeAll(async () => {
    await service.start();
    await receiver.start();
  });
  afterAll(async () => {
    for (const app of extra) await app.close().catch(() => {});
    await receiver.stop();
    await service.stop();
  });

  /** Another instance of the service on the same store and clock. */
  const instance = async (): Promise<{ app: App; url: string }> => {
    const app = await buildApp({ config: service.config, store: service.store, clock: service.clock, counter: new MemoryRateCounter() });
    extra.push(app);
    const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/v1`;
    return { app, url };
  };
  const count = (url: string, publicKey: string, profile: string) => fetch(`${url}/banner/${publicKey}/display-usage`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile }),
  });
  const deliveries = async (secretKey: string, endpointId: string) =>
    (await service.request('GET', `/webhooks/${endpointId}/deliveries`, { key: secretKey })).body.data as Array<{ eventType: string; payload: string }>;

  it('sends one signed delivery per site and closed hour with the hour\'s counts, across a restart and two instances', async () => {
    const { secretKey, site } = await withSite(service, 'Hourly');
    const quiet = await withSite(service, 'Quiet'); // no uses: no delivery
    const hook = await service.request('POST', '/webhooks', { key: secretKey, body: { url: receiver.url, events: ['a11y.profile_used'] } });
    expect(hook.status).toBe(201);
    receiver.secret = hook.body.secret;
    await service.request('POST', '/webhooks', { key: quiet.secretKey, body: { url: receiver.url, events: ['a11y.profile_used'] } });

    service.clock.advance(HOUR - (service.clock.now().getTime() % HOUR) + 10 * 60 * 1000); // ten past an hour
    const hourStart = new Date(service.clock.now().getTime() - 10 * 60 * 1000).toISOString();
    const hourEnd = new Date(Date.parse(hourStart) + HOUR).toISOString();

    // Two instances count the same hour; A is stopped before its counts were flushed by its timer (close flushes them).
    const a = await instance();
    const b = await instance();
    for (const profile of ['vision_impaired', 'vision_impaired', 'seizure_safe']) expect((await count(a.url, site.publicKey, profile)).status).toBe(202);
    for (const profile of ['vision_impaired', 'keyboard_motor']) expect((await count(b.url, site.publicKey, profile)).status).toBe(202);

    // The hour is still open (and within its grace after closing): nothing is sent.
    expect(await b.app.consentry.displayUsage.notify()).toBe(0);
    service.clock.advance(HOUR - 10 * 60 * 1000 + DISPLAY_USAGE_GRACE_MS / 2);
    expect(await b.app.consentry.displayUsage.notify()).toBe(0);

    await a.app.close(); // "restart": A's counts reach the store as it stops
    service.clock.advance(DISPLAY_USAGE_GRACE_MS);
    // A new instance sends the closed hour at start, while B checks at the same moment: one delivery, not two.
    const [c, sentByB] = await Promise.all([instance(), b.app.consentry.displayUsage.notify()]);
    const sentByService = await service.app.consentry.displayUsage.notify();
    const sentByC = await c.app.consentry.displayUsage.notify();
    expect(sentByB + sentByService + sentByC).toBeLessThanOrEqual(1);

    await receiver.waitFor(1);
    await new Promise((r) => setTimeout(r, 1200)); // three dispatchers poll the outbox: give a double send the chance to show
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery!.verified).toBe(true);
    const payload = JSON.parse(delivery!.body);
    expect(payload).toMatchObject({
      type: 'a11y.profile_used',
      data: {
        site_id: site.id, domain: site.domain, hour_start: hourStart, hour_end: hourEnd,
        counts: { ...zero(), vision_impaired: 3, seizure_safe: 1, keyboard_motor: 1 }, total: 5,
      },
    });
    expect(Object.keys(payload.data).sort()).toEqual(['counts', 'domain', 'hour_end', 'hour_start', 'site_id', 'total']);
    expect((await deliveries(secretKey, hook.body.endpoint.id)).map((d) => d.eventType)).toEqual(['a11y.profile_used']);

    // Another restart, later: the sent hour stays sent; a new hour with uses is its own delivery.
    await b.app.close();
    await c.app.close();
    const d = await instance();
    expect(await d.app.consentry.displayUsage.notify()).toBe(0);
    expect((await count(d.url, site.publicKey, 'cognitive')).status).toBe(202);
    service.clock.advance(HOUR + DISPLAY_USAGE_GRACE_MS);
    expect(await d.app.consentry.displayUsage.notify()).toBe(1);
    expect(await d.app.consentry.displayUsage.notify()).toBe(0);
    await receiver.waitFor(2);
    const second = JSON.parse(receiver.received[1]!.body);
    expect(second.data).toMatchObject({ site_id: site.id, hour_start: hourEnd, counts: { ...zero(), cognitive: 1 }, total: 1 });
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(receiver.received.filter((r) => JSON.parse(r.body).data.site_id === quiet.site.id)).toHaveLength(0);
    await d.app.close();
  });
});
