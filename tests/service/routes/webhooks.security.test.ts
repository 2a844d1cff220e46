import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/service/config.ts';
import { isPrivateAddress } from '../../../src/service/delivery/address-guard.ts';
import { fastClockService, postgresUrl, TestService, withSite } from '../harness.ts';
import { Receiver } from '../receiver.ts';

const choice = (consentId: string) => ({ consentId, action: 'accept_all', categories: { analytics: true }, policyVersion: '1' });

/** Polls an endpoint's delivery log until every delivery left `pending` (or the time is up); answers the deliveries. */
async function settled(service: TestService, key: string, endpointId: string, timeoutMs = 15_000): Promise<Array<{ state: string; lastError: string | null; lastStatus: number | null }>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const log = await service.request('GET', `/webhooks/${endpointId}/deliveries`, { key });
    const data = log.body.data as Array<{ state: string; lastError: string | null; lastStatus: number | null; attempts: number }>;
    if ((data.length && data.every((d) => d.state !== 'pending' || d.attempts > 0)) || Date.now() > end) return data;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('webhook fairness between accounts', () => {
  const service = new TestService({ CONSENTRY_WEBHOOK_ALLOW_PRIVATE: '1' });
  beforeAll(() => service.start());
  afterAll(() => service.stop());

  it('an account whose endpoints hang does not delay another account\'s delivery, and holds at most its share of the slots', async () => {
    const slow = await new Receiver().start();
    slow.trickle = true;
    const fast = await new Receiver().start();
    try {
      // 20 endpoints that answer a byte every 200 ms until the 5 s timeout, 5 events: 100 deliveries queued before the other account's one.
      const hog = await withSite(service, 'Hog');
      for (let i = 0; i < 20; i++) {
        expect((await service.request('POST', '/webhooks', { key: hog.secretKey, body: { url: `${slow.url}/${i}`, events: ['consent.given'] } })).status).toBe(201);
      }
      for (let i = 0; i < 5; i++) {
        expect((await service.request('POST', '/consent/log', { body: { api_key: hog.site.publicKey, ...choice(`cid_hog_${i}_00000`) } })).status).toBe(201);
      }
      while (slow.open === 0) await new Promise((r) => setTimeout(r, 10));
      service.clock.advance(1000); // the other account's delivery is due after all of the hog's

      const other = await withSite(service, 'Patient');
      const hook = await service.request('POST', '/webhooks', { key: other.secretKey, body: { url: fast.url, events: ['consent.given'] } });
      fast.secret = hook.body.secret;
      const sent = Date.now();
      expect((await service.request('POST', '/consent/log', { body: { api_key: other.site.publicKey, ...choice('cid_patient_00001') } })).status).toBe(201);
      await fast.waitFor(1, 30_000);
      const delay = Date.now() - sent;
      // Before: the dispatcher took 50 deliveries at a time and waited for all of them, so this one waited for two rounds of
      // 5 s timeouts (about 10 s). Now it starts at once; 3 s is room for a loaded machine, far from the old 10 s.
      expect(delay, `the other account's delivery took ${delay} ms`).toBeLessThan(3000);
      expect(fast.received[0]!.verified).toBe(true);
      // 10 slots of 50 per account by default.
      expect(slow.maxOpen).toBeGreaterThan(0);
      expect(slow.maxOpen).toBeLessThanOrEqual(10);

      // A hung endpoint's attempt ends at the timeout, and its error says so without naming the address.
      const end = Date.now() + 20_000;
      let errors: string[] = [];
      while (errors.length === 0 && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        errors = (await service.store.sql.all('SELECT last_error FROM webhook_deliveries WHERE account_id = ? AND last_error IS NOT NULL', [hog.accountId]))
          .map((r) => String(r.last_error));
      }
      expect(errors.length).toBeGreaterThan(0);
      expect(new Set(errors)).toEqual(new Set(['timed out']));
    } finally {
      await slow.stop();
      await fast.stop();
    }
  });
});

describe('delivery errors an account can read', () => {
  const service = fastClockService({ CONSENTRY_WEBHOOK_ALLOW_PRIVATE: '1', CONSENTRY_WEBHOOK_RETRY_BASE_MS: '20', CONSENTRY_WEBHOOK_MAX_ATTEMPTS: '2' });

  it('say "could not connect" or "HTTP 500", never an address or a port', async () => {
    const failing = await new Receiver(1000).start();
    try {
      const port = await closedPort();
      const { secretKey, site } = await withSite(service, 'Errors');
      const refused = await service.request('POST', '/webhooks', { key: secretKey, body: { url: `http://127.0.0.1:${port}/hook`, events: ['consent.given'] } });
      const erring = await service.request('POST', '/webhooks', { key: secretKey, body: { url: failing.url, events: ['consent.given'] } });
      await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice('cid_errors_00001') } });
      const [connect] = await settled(service, secretKey, refused.body.endpoint.id);
      const [http] = await settled(service, secretKey, erring.body.endpoint.id);
      expect(connect).toMatchObject({ lastError: 'could not connect', lastStatus: null });
      expect(http).toMatchObject({ lastError: 'HTTP 500', lastStatus: 500 });
      const log = await service.request('GET', `/webhooks/${refused.body.endpoint.id}/deliveries`, { key: secretKey });
      expect(log.text).not.toContain('127.0.0.1');
      expect(log.text).not.toContain(String(port));
    } finally {
      await failing.stop();
    }
  });
});

describe('the private-address guard', () => {
  const service = fastClockService({ CONSENTRY_WEBHOOK_RETRY_BASE_MS: '20', CONSENTRY_WEBHOOK_MAX_ATTEMPTS: '2' });

  // One address in each range, and what it reaches or means.
  const ranges: Array<[string, string]> = [
    ['::/96', '::7f00:1'], // IPv4-compatible ::127.0.0.1
    ['::ffff:0:0:0/96', '::ffff:0:7f00:1'], // IPv4-translated 127.0.0.1
    ['2002::/16', '2002:7f00:1::1'], // 6to4 of 127.0.0.1
    ['64:ff9b:1::/48', '64:ff9b:1::a00:1'], // local-use NAT64 of 10.0.0.1
    ['fec0::/10', 'fec0::1'], // site-local
  ];

  it.each(ranges)('refuses %s (%s)', (_range, address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it('still lets public addresses through, including IPv4-mapped ones', () => {
    for (const address of ['93.184.216.34', '::ffff:93.184.216.34', '::ffff:5db8:d822', '2606:4700::1111', '2a00:1450::1']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('refuses deliveries to every such literal address, and to a name that resolves to a private one, without naming the address', async () => {
    const { secretKey, site } = await withSite(service, 'Guard');
    // The machine's own name resolves to one of its addresses (loopback or private) wherever these tests run.
    const own = await lookup(hostname(), { all: true }).catch(() => []);
    const named = own.length > 0 && own.every((a) => isPrivateAddress(a.address)) ? [`http://${hostname()}:9/hook`] : [];
    const urls = [...ranges.map(([, address]) => `http://[${address}]:9/hook`), ...named];
    const ids: string[] = [];
    for (const url of urls) {
      const created = await service.request('POST', '/webhooks', { key: secretKey, body: { url, events: ['consent.given'] } });
      expect(created.status, url).toBe(201);
      ids.push(created.body.endpoint.id);
    }
    await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice('cid_guard_000001') } });
    for (const [i, id] of ids.entries()) {
      const [delivery] = await settled(service, secretKey, id);
      expect(delivery, urls[i]).toMatchObject({ lastError: 'refused: the address is private' });
    }
    for (const id of ids) {
      const log = await service.request('GET', `/webhooks/${id}/deliveries`, { key: secretKey });
      for (const { address } of own) expect(log.text).not.toContain(address);
    }
  });
});

describe('webhook signing secrets at rest, with CONSENTRY_SECRET_KEY', () => {
  const KEY = 'a3'.repeat(32);
  const service = fastClockService({ CONSENTRY_WEBHOOK_ALLOW_PRIVATE: '1', CONSENTRY_SECRET_KEY: KEY });

  it('are stored encrypted, still sign deliveries, and stay encrypted when rotated', async () => {
    const receiver = await new Receiver().start();
    try {
      const { secretKey, site } = await withSite(service, 'Sealed');
      const created = await service.request('POST', '/webhooks', { key: secretKey, body: { url: receiver.url, events: ['consent.given'] } });
      const endpointId = created.body.endpoint.id as string;
      const stored = async () => String((await service.store.sql.all('SELECT secret FROM webhook_endpoints WHERE id = ?', [endpointId]))[0]!.secret);
      const first = await stored();
      expect(first).toMatch(/^enc:v1:/);
      expect(first).not.toContain(created.body.secret.slice(6));

      receiver.secret = created.body.secret;
      await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice('cid_sealed_00001') } });
      await receiver.waitFor(1);
      expect(receiver.received[0]!.verified).toBe(true);

      const rotated = await service.request('POST', `/webhooks/${endpointId}/rotate-secret`, { key: secretKey });
      const second = await stored();
      expect(second).toMatch(/^enc:v1:/);
      expect(second).not.toBe(first);
      receiver.secret = rotated.body.secret;
      await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice('cid_sealed_00002') } });
      await receiver.waitFor(2);
      expect(receiver.received[1]!.verified).toBe(true);

      if (!postgresUrl) {
        // Nowhere in the SQLite files, log included.
        const bytes = Buffer.concat([service.config.dbPath, `${service.config.dbPath}-wal`].map((file) => readFileSync(file)));
        for (const secret of [created.body.secret, rotated.body.secret]) expect(bytes.includes(secret.slice(6))).toBe(false);
      }
    } finally {
      await receiver.stop();
    }
  });

  it('refuse to start on a key that is not 32 bytes', () => {
    expect(() => loadConfig({}, { CONSENTRY_SECRET_KEY: 'short' })).toThrow(/32 bytes/);
    expect(loadConfig({}, { CONSENTRY_SECRET_KEY: KEY }).secretKey).toHaveLength(32);
  });
});
