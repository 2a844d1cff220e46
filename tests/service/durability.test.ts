import { describe, expect, it } from 'vitest';
import { cli, startBundle, stopBundle, testStore } from './process.ts';

async function json(url: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

describe('durability of the shipped bundle', () => {
  it('keeps every acknowledged consent event through kill -9 in the middle of a burst', async () => {
    const db = await testStore('crash');
    const { secretKey } = cli(['accounts', 'create', '--name', 'Crash', ...db]);
    const first = await startBundle(db);
    const site = (await json(`${first.url}/sites`, {
      method: 'POST', headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Crash', domain: 'crash.example.com' }),
    })).body.site;

    const acknowledged = new Set<string>();
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; !killed && i < 2000; i++) {
        try {
          const res = await fetch(`${first.url}/consent/log`, {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ api_key: site.publicKey, consentId: `crash_${w}_${i}`, action: 'accept_all', categories: { analytics: true }, policyVersion: '1' }),
          });
          if (res.status === 201) acknowledged.add((await res.json()).id);
        } catch {
          return; // the process died under us: this write was never acknowledged
        }
      }
    };
    const workers = Array.from({ length: 32 }, (_, w) => worker(w));
    while (acknowledged.size < 400) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    await stopBundle(first.child, 'SIGKILL');
    await Promise.all(workers);
    expect(acknowledged.size).toBeGreaterThanOrEqual(400);

    const second = await startBundle(db);
    try {
      const stored = new Set<string>();
      let cursor = '';
      do {
        const page = await json(`${second.url}/consent/events/${site.id}?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: { 'x-api-key': secretKey } });
        for (const event of page.body.data) stored.add(event.id);
        cursor = page.body.pagination.nextCursor ?? '';
      } while (cursor);
      const lost = [...acknowledged].filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
    } finally {
      expect(await stopBundle(second.child)).toBe(0);
    }
  });

  it('prints one JSON object for accounts create and manages keys from the command line', async () => {
    const db = await testStore('cli');
    const created = cli(['accounts', 'create', '--name', 'Cli', '--plan', 'pro', ...db]);
    expect(created).toMatchObject({ accountId: expect.stringMatching(/^acct_/), plan: 'pro', secretKey: expect.stringMatching(/^ck_/) });
    const second = cli(['keys', 'create', '--account', created.accountId, '--name', 'ci', '--mode', 'test', ...db]);
    expect(second.secretKey).toMatch(/^ck_test_/);
    const listed = cli(['keys', 'list', '--account', created.accountId, ...db]);
    expect(listed.data).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(created.secretKey);
    cli(['keys', 'revoke', '--account', created.accountId, '--key', listed.data[0].id, ...db]);
    const { child, url } = await startBundle(db);
    try {
      expect((await fetch(`${url}/sites`, { headers: { 'x-api-key': created.secretKey } })).status).toBe(401);
      expect((await fetch(`${url}/sites`, { headers: { 'x-api-key': second.secretKey } })).status).toBe(200);
    } finally {
      await stopBundle(child);
    }
  });
});
