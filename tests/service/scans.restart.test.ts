/**
 * A scan survives the death of its service: the shipped bundle is killed (-9) in the middle of a scan and started
 * again on the same store; the scan is taken over once its lease ran out, resumes without the pages already done,
 * and ends. It never stays `running`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, startBundle, stopBundle, testStore } from './process.ts';
import { startFixtureSite, type FixtureSite } from './scanner/fixture-site.ts';

const CHROMIUM = process.env.CONSENTRY_CHROMIUM_PATH || '/usr/bin/chromium';
let fixture: FixtureSite;
let profiles: string;

beforeAll(async () => {
  fixture = await startFixtureSite({ generatedPages: 4 });
  // The services' browser profiles go here, so that the browsers of a killed service can be found and stopped.
  profiles = mkdtempSync(join(tmpdir(), 'consentry-restart-test-'));
});
afterAll(async () => {
  killBrowsers();
  await fixture.close();
  rmSync(profiles, { recursive: true, force: true });
});

/** Browsers a killed service left behind (their command line names a profile of this file). */
function killBrowsers(): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(profiles)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

async function call(url: string, key: string, method = 'GET', body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return res.json();
}

describe('a scan and a restart of its service', () => {
  it('resumes after kill -9 without scanning a done page again, and ends', async () => {
    const db = await testStore('scan-restart');
    const env = { CONSENTRY_SCAN_ALLOW_PRIVATE: '1', CONSENTRY_CHROMIUM_PATH: CHROMIUM, CONSENTRY_SCAN_LEASE_SECONDS: '3', TMPDIR: profiles };
    const { secretKey } = cli(['accounts', 'create', '--name', 'Restart', ...db]);
    const first = await startBundle(db, env);
    let second: Awaited<ReturnType<typeof startBundle>> | null = null;
    try {
      const site = (await call(`${first.url}/sites`, secretKey, 'POST', { name: 'Restart', domain: fixture.siteDomain })).site;
      const scans = `/sites/${site.id}/scans`;
      const started = (await call(`${first.url}${scans}`, secretKey, 'POST', { startUrl: fixture.url('/'), exclude: ['/slow'] })).scan;
      let before: any;
      do {
        await new Promise((r) => setTimeout(r, 100));
        before = await call(`${first.url}${scans}/${started.id}`, secretKey);
      } while (before.scan.pagesDone < 2 && before.scan.state === 'running' || before.scan.state === 'queued');
      expect(before.scan.state).toBe('running');
      await stopBundle(first.child, 'SIGKILL');
      killBrowsers();

      second = await startBundle(db, env);
      let after: any;
      const seen = new Set<string>();
      do {
        await new Promise((r) => setTimeout(r, 200));
        after = await call(`${second.url}${scans}/${started.id}`, secretKey);
        seen.add(after.scan.state);
      } while (after.scan.state === 'running');
      expect(['completed', 'partial']).toContain(after.scan.state);
      const urls: string[] = after.pages.map((p: { url: string }) => p.url);
      expect(new Set(urls).size).toBe(urls.length);
      expect(after.scan.pagesDone).toBe(urls.length);
      // The pages done before the kill are kept as they were; the scan went on past them.
      const kept = before.pages.map((p: { url: string; scannedAt: string }) => `${p.url} ${p.scannedAt}`);
      expect(after.pages.map((p: { url: string; scannedAt: string }) => `${p.url} ${p.scannedAt}`)).toEqual(expect.arrayContaining(kept));
      expect(urls.length).toBeGreaterThan(before.pages.length);
      expect(urls.some((u) => u.includes('/gen/'))).toBe(true);
      expect(after.items.length).toBeGreaterThan(0);
      // One scan at a time again: the site is free.
      expect((await call(`${second.url}${scans}`, secretKey, 'POST', { startUrl: fixture.url('/cookies'), include: ['/cookies'], pageBudget: 1 })).scan.state).toBe('queued');
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) await stopBundle(first.child, 'SIGKILL');
      if (second) expect(await stopBundle(second.child)).toBe(0);
      killBrowsers();
    }
  }, 240_000);
});
