/**
 * The scan engine against the fixture site (fixture-site.ts), in a real
 * headless Chromium, through runScan's worker thread as the service runs it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../src/service/scanner/browser.ts';
import { scan as scanHere } from '../../../src/service/scanner/engine.ts';
import { runScan, SCAN_DEFAULTS, type EngineEvent, type EngineOutcome, type PageResult, type ScanOptions } from '../../../src/service/scanner/index.ts';
import { EXPECTED, NOT_EXPECTED, startFixtureSite, type FixtureSite } from './fixture-site.ts';

const CHROMIUM = process.env.CONSENTRY_CHROMIUM_PATH || '/usr/bin/chromium';

let site: FixtureSite;
let profiles: string;
const previousTmp = process.env.TMPDIR;

beforeAll(async () => {
  site = await startFixtureSite();
  // Browser profiles go here, so that this file can tell its own browsers from anyone else's.
  profiles = mkdtempSync(join(tmpdir(), 'consentry-engine-test-'));
  process.env.TMPDIR = profiles;
});

afterAll(async () => {
  if (previousTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmp;
  await site.close();
  rmSync(profiles, { recursive: true, force: true });
});

function options(extra: Partial<ScanOptions> = {}): ScanOptions {
  return {
    ...SCAN_DEFAULTS,
    startUrl: site.url('/'),
    siteDomain: site.siteDomain,
    include: [],
    exclude: [],
    // Generous: a loaded machine must not fail a page that answers. Only /slow runs into it.
    pageTimeoutMs: 8000,
    retries: 1,
    allowPrivate: true,
    chromiumPath: CHROMIUM,
    ...extra,
  };
}

async function scan(extra: Partial<ScanOptions> = {}, onEvent?: (e: EngineEvent, abort: () => void) => void) {
  const events: EngineEvent[] = [];
  const controller = new AbortController();
  const outcome: EngineOutcome = await runScan(options(extra), (e) => {
    events.push(e);
    onEvent?.(e, () => controller.abort());
  }, controller.signal);
  const pages = events.flatMap((e) => (e.type === 'page' ? [e.page] : []));
  const planned = events.flatMap((e) => (e.type === 'planned' ? [e.pagesPlanned] : []));
  return { outcome, pages, planned, path: (p: PageResult) => new URL(p.url).pathname };
}

/** Processes whose command line names a browser profile of this file. */
function ourBrowsers(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(profiles)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe('a scan of the fixture site', () => {
  let result: Awaited<ReturnType<typeof scan>>;
  beforeAll(async () => {
    result = await scan();
  }, 240_000);

  it('reaches every page once (home, links to depth 2, the sitemap index), the link loop included, and ends partial for the page that never answers', () => {
    const paths = result.pages.map(result.path).sort();
    expect(paths).toEqual(['/', '/banner', '/cookies', '/loop/a', '/loop/b', '/sitemap-only', '/slow', '/storage', '/third-party', '/tracker']);
    expect(result.outcome.state).toBe('partial');
    const slow = result.pages.find((p) => result.path(p) === '/slow')!;
    expect(slow.state).toBe('failed');
    expect(slow.error).toMatch(/did not answer/);
    // Tried once and retried once.
    expect(site.requests.filter((r) => r.endsWith('/slow')).length).toBe(2);
    expect(result.pages.filter((p) => p !== slow).every((p) => p.state === 'ok')).toBe(true);
    // Not followed: another host, a file, mail.
    expect(site.requests.some((r) => r.includes('/elsewhere') || r.includes('report.pdf'))).toBe(false);
    expect(result.pages.every((p) => p.depth <= 2)).toBe(true);
    expect(result.pages.find((p) => result.path(p) === '/loop/b')!.depth).toBe(2);
    expect(Math.max(...result.planned)).toBe(result.pages.length);
  });

  it('finds every item with the pass it was set in, and nothing blocked before consent or after "Reject all"', () => {
    for (const [path, byPass] of Object.entries(EXPECTED)) {
      const page = result.pages.find((p) => result.path(p) === path)!;
      for (const [pass, items] of Object.entries(byPass)) {
        const found = page.items.filter((i) => i.pass === pass).map((i) => `${i.kind}:${i.name}`);
        expect(found, `${path} ${pass}`).toEqual(expect.arrayContaining(items));
      }
      for (const [pass, items] of Object.entries(NOT_EXPECTED[path] ?? {})) {
        const found = page.items.filter((i) => i.pass === pass).map((i) => `${i.kind}:${i.name}`);
        for (const item of items) expect(found, `${path} ${pass}`).not.toContain(item);
      }
    }
  });

  it('runs three passes through the real banner, one pass elsewhere', () => {
    for (const page of result.pages.filter((p) => p.state === 'ok')) {
      const banner = result.path(page) === '/banner';
      expect(page.bannerFound, page.url).toBe(banner);
      expect(page.passes, page.url).toEqual(banner ? ['before', 'accept', 'reject'] : ['before']);
    }
  });

  it('captures HttpOnly cookies from Set-Cookie with their attributes, and no deletion', () => {
    const cookies = result.pages.find((p) => result.path(p) === '/cookies')!.items;
    const server = cookies.find((i) => i.name === 'fixture_server')!;
    expect(server).toMatchObject({ kind: 'cookie', domain: site.siteDomain, pass: 'before', attributes: { httpOnly: true, sameSite: 'Strict', path: '/' } });
    expect(server.attributes!.expiresInSeconds).toBeGreaterThan(86_000);
    expect(cookies.find((i) => i.name === 'fixture_pref')!.attributes).toMatchObject({ httpOnly: false });
    expect(cookies.some((i) => i.name === 'fixture_gone')).toBe(false);
    const home = result.pages.find((p) => result.path(p) === '/')!.items.find((i) => i.name === 'fixture_session')!;
    expect(home.attributes).toMatchObject({ httpOnly: true, expiresInSeconds: null });
    // Set on the reload after "Accept all", by the server that read the consent cookie.
    const banner = result.pages.find((p) => result.path(p) === '/banner')!;
    expect(banner.items.find((i) => i.name === 'fixture_analytics' && i.pass === 'accept')!.attributes!.httpOnly).toBe(true);
  });

  it('lists third-party hosts by resource type, and never the site itself', () => {
    const hosts = result.pages.find((p) => result.path(p) === '/third-party')!.hosts;
    expect(hosts.map((h) => `${h.resourceType}:${h.host}`).sort()).toEqual(['iframe', 'image', 'script'].map((t) => `${t}:${site.thirdPartyHost}`));
    expect(result.pages.flatMap((p) => p.hosts).some((h) => h.host === site.siteDomain)).toBe(false);
    // The third party's script writes a first-party cookie; its iframe keeps storage under its own host.
    const items = result.pages.find((p) => result.path(p) === '/third-party')!.items;
    expect(items.find((i) => i.name === 'widget_id')!.domain).toBe(site.siteDomain);
    for (const name of ['widget_seen', 'widget_tab', 'widget_db']) expect(items.find((i) => i.name === name)!.domain, name).toBe(site.thirdPartyHost);
  });

  it('reports names, never values, and the banner records no consent from the scanner', () => {
    const text = JSON.stringify(result.pages);
    for (const value of ['GA1.1', 'dark', '"s1"', '"w1"', '"v"']) expect(text).not.toContain(value);
    expect(site.requests.some((r) => r.includes('/wp-json/consentry/v1/'))).toBe(false);
  });
});

describe('limits', () => {
  it('keeps to the page budget, and include/exclude choose the pages', async () => {
    const { outcome, pages, planned } = await scan({ pageBudget: 3, exclude: ['/slow', '/banner'] });
    expect(outcome.state).toBe('completed');
    expect(pages.length).toBe(3);
    expect(Math.max(...planned)).toBeLessThanOrEqual(3);

    const only = await scan({ include: ['/loop/*'] });
    expect(only.outcome.state).toBe('completed');
    expect(only.pages.map(only.path).sort()).toEqual(['/', '/loop/a', '/loop/b']);
  }, 120_000);

  it('does not scan again the pages done before a restart, but still follows their links', async () => {
    const { outcome, pages } = await scan({ skipUrls: [site.url('/'), site.url('/loop/a')], include: ['/loop/*'] });
    expect(outcome.state).toBe('completed');
    expect(pages.map((p) => new URL(p.url).pathname)).toEqual(['/loop/b']);
  }, 120_000);

  it('refuses a private address without allowPrivate, before starting a browser', async () => {
    const { outcome, pages } = await scan({ allowPrivate: false });
    expect(outcome).toMatchObject({ state: 'failed', reason: 'blocked' });
    expect(outcome.message).toMatch(/CONSENTRY_SCAN_ALLOW_PRIVATE/);
    expect(pages).toEqual([]);
  });

  it('fails with browser_unavailable, saying what to install, when there is no browser', async () => {
    const { outcome } = await scan({ chromiumPath: '/nonexistent/chromium' });
    expect(outcome).toMatchObject({ state: 'failed', reason: 'browser_unavailable' });
    expect(outcome.message).toMatch(/apt-get install chromium/);
  });

  it('fails as unreachable when the start page does not load', async () => {
    const { outcome } = await scan({ startUrl: site.url('/slow'), pageTimeoutMs: 1000, retries: 0 });
    expect(outcome).toMatchObject({ state: 'failed', reason: 'unreachable' });
  }, 30_000);

  it('fails with timeout when the time budget runs out before any page', async () => {
    const { outcome, pages } = await scan({ timeBudgetMs: 1 });
    expect(outcome).toMatchObject({ state: 'failed', reason: 'timeout' });
    expect(pages).toEqual([]);
  }, 30_000);

  it('ends as partial, keeping the pages done, when the browser dies mid-scan', async () => {
    let killed = false;
    const { outcome, pages } = await scan({ exclude: ['/slow'] }, (e) => {
      if (e.type === 'page' && !killed) {
        killed = true;
        for (const pid of ourBrowsers()) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }
      }
    });
    expect(killed).toBe(true);
    expect(outcome.state).toBe('partial');
    expect(outcome.message).toMatch(/browser stopped/);
    expect(pages.length).toBeGreaterThan(0);
    expect(ourBrowsers()).toEqual([]);
  }, 120_000);

  it('stops on cancel, and leaves no browser process or profile behind', async () => {
    let sawBrowser = false;
    const { outcome, pages } = await scan({ exclude: ['/slow'] }, (e, abort) => {
      if (e.type === 'page') {
        sawBrowser = ourBrowsers().length > 0;
        abort();
      }
    });
    expect(outcome.state).toBe('cancelled');
    expect(sawBrowser).toBe(true);
    expect(pages.length).toBeLessThan(4);
    expect(ourBrowsers()).toEqual([]);
    // Nothing left in the temporary folder: no profile, none of Chromium's own temporary folders.
    expect(readdirSync(profiles)).toEqual([]);
  }, 120_000);
});

describe('cost and yielding', () => {
  it('opens one renderer per browser context: no window UI (the omnibox popup) beside the page', async () => {
    const browser = await Browser.launch(CHROMIUM);
    try {
      const { browserContextId } = await browser.send('Target.createBrowserContext', { disposeOnDetach: true });
      await browser.send('Target.createTarget', { url: 'about:blank', browserContextId });
      // The window's WebUI pages are created with it; give them time to show up.
      await new Promise((r) => setTimeout(r, 500));
      const { targetInfos } = await browser.send('Target.getTargets', { filter: [{}] });
      const inContext = targetInfos.filter((t) => t.browserContextId === browserContextId);
      expect(inContext.map((t) => t.type).sort()).toEqual(['page', 'tab']);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('starts no pass while the service is busy, and goes on when it is calm again', async () => {
    let release: () => void = () => {};
    const calm = new Promise<void>((r) => { release = r; });
    let asked = 0;
    const pages: PageResult[] = [];
    const running = scanHere(options({ include: ['/loop/*'] }), (e) => { if (e.type === 'page') pages.push(e.page); }, new AbortController().signal, {
      whenCalm: async () => {
        asked++;
        await calm;
      },
    });
    while (asked === 0) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1000));
    expect(pages).toEqual([]);
    release();
    expect((await running).state).toBe('completed');
    expect(pages.map((p) => new URL(p.url).pathname).sort()).toEqual(['/', '/loop/a', '/loop/b']);
    // Before each pass: one for each page without the banner.
    expect(asked).toBe(3);
  }, 120_000);
});
