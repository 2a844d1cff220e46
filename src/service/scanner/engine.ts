/**
 * The crawl: plan the pages (start page, sitemaps, links to depth 2, within
 * the page budget and include/exclude), scan them `concurrency` at a time
 * (three passes each when the page runs Consentry's banner), report each page
 * as it is done, and end with an outcome. Runs in the scan worker
 * (scan-worker.ts); the browser is gone when `scan` resolves.
 */
import { SCAN_PASSES, type ScanPass } from '#shared/enums.ts';
import { SERVICE_VERSION } from '../http/context.ts';
import { Browser, BrowserUnavailableError, findChromium, TimeoutError } from './browser.ts';
import { checkHost, fetchText, linksOfHtml, onSiteDomain, pageUrl, pathAllowed, sitemapPages } from './discovery.ts';
import type { EngineEvent, EngineOutcome, PageResult, ScanOptions } from './engine-types.ts';
import { startGuardProxy } from './guard-proxy.ts';
import { PageError, runPass, type PassSettings } from './page-pass.ts';

/** Links are followed from pages up to this depth (the start page is 0). */
const MAX_LINK_DEPTH = 2;

/** Where the scanner's user agent points site owners and their firewalls. */
export const SCANNER_INFO_URL = 'https://github.com/consentry/consentry#cookie-scanner';

/**
 * The user agent: Chrome's own (without "Headless", so that sites render as for
 * a visitor), then a product token that names the scanner, e.g.
 * `Mozilla/5.0 (X11; Linux x86_64) … Chrome/156.0.0.0 Safari/537.36 ConsentryScanner/0.1.0 (+https://…)`.
 */
export function scannerUserAgent(chromeUserAgent: string): string {
  return `${chromeUserAgent.replace('HeadlessChrome/', 'Chrome/')} ConsentryScanner/${SERVICE_VERSION} (+${SCANNER_INFO_URL})`;
}

export interface EngineHooks {
  /** The browser's process id, as soon as it runs (so that a crash of the scan's thread cannot leave it behind). */
  onBrowser?: (pid: number) => void;
  /**
   * Awaited before each pass: the scan yields while the service is busy (scan-worker.ts). Resolves at once when
   * `signal` is aborted.
   */
  whenCalm?: (signal: AbortSignal) => Promise<void>;
}

/** The passes after a choice, in SCAN_PASSES order. */
const AFTER_CHOICE = SCAN_PASSES.filter((p) => p !== 'before');

/** Like Promise.all, but settles only when every promise has (no pass is left running behind a retry). */
async function allOrFirstError<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

interface Planned { url: string; depth: number }

export async function scan(options: ScanOptions, onEvent: (e: EngineEvent) => void, signal: AbortSignal, hooks: EngineHooks = {}): Promise<EngineOutcome> {
  const start = startPage(options.startUrl, options.siteDomain);
  if (!start) return { state: 'failed', reason: 'internal', message: `${options.startUrl} is not a page on ${options.siteDomain}` };

  const hostChecks = new Map<string, ReturnType<typeof checkHost>>();
  const checkPageHost = (url: string) => {
    const host = new URL(url).host;
    let check = hostChecks.get(host);
    if (!check) hostChecks.set(host, (check = checkHost(url, options.allowPrivate)));
    return check;
  };
  const startCheck = await checkPageHost(start);
  if (!startCheck.ok) return { state: 'failed', reason: startCheck.reason, message: startCheck.message };
  if (signal.aborted) return { state: 'cancelled' };

  let browser: Browser;
  // Every connection of the browser goes through the address guard (loopback included), whether or not it allows private addresses.
  const proxy = await startGuardProxy(options.allowPrivate);
  try {
    browser = await Browser.launch(findChromium(options.chromiumPath), [`--proxy-server=${proxy.url}`, '--proxy-bypass-list=<-loopback>']);
  } catch (error) {
    await proxy.close();
    const message = (error as Error).message;
    return { state: 'failed', reason: error instanceof BrowserUnavailableError ? 'browser_unavailable' : 'internal', message };
  }
  if (browser.pid) hooks.onBrowser?.(browser.pid);

  // One controller stops every page at once: cancel, time budget, or a start page that cannot be reached.
  const stop = new AbortController();
  let stopReason: 'cancel' | 'time' | 'unreachable' | 'browser' | null = null;
  let unreachableMessage = '';
  const halt = (why: NonNullable<typeof stopReason>) => {
    if (stopReason) return;
    stopReason = why;
    stop.abort(new Error(why));
    wakeAll();
  };
  const onCancel = () => halt('cancel');
  signal.addEventListener('abort', onCancel);
  if (signal.aborted) halt('cancel');
  const deadline = setTimeout(() => halt('time'), options.timeBudgetMs);

  const waiting = new Set<() => void>();
  function wakeAll() {
    for (const w of waiting) w();
    waiting.clear();
  }

  try {
    const { userAgent: chromeUa } = await browser.send('Browser.getVersion', {});
    const userAgent = scannerUserAgent(chromeUa);
    const settings: PassSettings = {
      userAgent,
      siteDomain: options.siteDomain,
      pageTimeoutMs: options.pageTimeoutMs,
      settleMs: Math.min(3000, Math.max(500, Math.round(options.pageTimeoutMs / 4))),
    };
    const fetchPlain = (url: string) => fetchText(url, { allowPrivate: options.allowPrivate, userAgent, timeoutMs: options.pageTimeoutMs, signal: stop.signal });

    const skip = new Set((options.skipUrls ?? []).map((u) => pageUrl(u, u, options.siteDomain) ?? u));
    const admitted = new Set<string>();
    const queue: Planned[] = [];
    let announced = 0;
    const admit = (url: string, depth: number) => {
      if (admitted.has(url) || admitted.size >= options.pageBudget) return;
      if (depth > 0 && !pathAllowed(url, options.include, options.exclude)) return;
      admitted.add(url);
      queue.push({ url, depth });
      wakeAll();
    };
    const announce = () => {
      if (admitted.size !== announced) {
        announced = admitted.size;
        onEvent({ type: 'planned', pagesPlanned: announced });
      }
    };

    admit(start, 0);
    const fromSitemaps = await sitemapPages(start, options.siteDomain, options.pageBudget, fetchPlain).catch(() => []);
    for (const url of fromSitemaps) admit(url, 1);
    announce();

    let active = 0;
    let done = 0;
    let failed = 0;

    const scanPage = async ({ url, depth }: Planned): Promise<{ page: PageResult; links: string[] }> => {
      const check = await checkPageHost(url);
      if (!check.ok) return { page: failedPage(url, depth, check.message), links: [] };
      let lastError = '';
      for (let attempt = 0; attempt <= options.retries; attempt++) {
        if (stop.signal.aborted) break;
        try {
          const pass = async (which: ScanPass) => {
            await hooks.whenCalm?.(stop.signal);
            return runPass(browser, url, which, settings, stop.signal);
          };
          const before = await pass('before');
          // After a choice, in contexts of their own: "Accept all" and "Reject all" at the same time.
          const after = before.bannerFound ? await allOrFirstError(AFTER_CHOICE.map(pass)) : [];
          const results = [before, ...after];
          return {
            page: {
              url, depth, state: 'ok', bannerFound: before.bannerFound, passes: SCAN_PASSES.slice(0, results.length),
              items: results.flatMap((r) => r.items), hosts: results.flatMap((r) => r.hosts),
            },
            links: before.links,
          };
        } catch (error) {
          lastError = (error as Error).message;
          if (error instanceof PageError && !error.retryable) break;
        }
      }
      return { page: failedPage(url, depth, lastError || 'not scanned'), links: [] };
    };

    /** A page done before a restart: not scanned again, but its links still lead on. */
    const linksOfSkipped = async (url: string): Promise<string[]> => {
      const html = await fetchPlain(url);
      return html ? linksOfHtml(html, url, options.siteDomain) : [];
    };

    const worker = async () => {
      while (!stopReason) {
        const next = queue.shift();
        if (!next) {
          if (active === 0) return;
          await new Promise<void>((resolve) => waiting.add(resolve));
          continue;
        }
        active++;
        try {
          let links: string[];
          if (skip.has(next.url)) {
            links = next.depth < MAX_LINK_DEPTH ? await linksOfSkipped(next.url) : [];
          } else {
            const result = await scanPage(next);
            if (stopReason) return;
            if (browser.lost) {
              halt('browser');
              return;
            }
            if (next.depth === 0 && result.page.state === 'failed') {
              unreachableMessage = `${next.url}: ${result.page.error}`;
              halt('unreachable');
              return;
            }
            done++;
            if (result.page.state === 'failed') failed++;
            onEvent({ type: 'page', page: result.page });
            links = result.page.state === 'ok' && next.depth < MAX_LINK_DEPTH ? result.links : [];
          }
          for (const href of links) {
            const link = pageUrl(href, next.url, options.siteDomain);
            if (link) admit(link, next.depth + 1);
          }
          announce();
        } finally {
          active--;
          wakeAll();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));

    if (stopReason === 'cancel') return { state: 'cancelled' };
    if (stopReason === 'unreachable') return { state: 'failed', reason: 'unreachable', message: `The start page could not be loaded (${unreachableMessage})` };
    if (stopReason === 'time') {
      const message = `The time budget (${Math.round(options.timeBudgetMs / 1000)} s) ran out after ${done} of ${admitted.size} pages`;
      return done > 0 ? { state: 'partial', message } : { state: 'failed', reason: 'timeout', message };
    }
    if (stopReason === 'browser') {
      const message = `The browser stopped (${browser.lost}) after ${done} of ${admitted.size} pages`;
      return done > 0 ? { state: 'partial', message } : { state: 'failed', reason: 'internal', message };
    }
    if (failed > 0) return { state: 'partial', message: `${failed} of ${done} pages could not be scanned` };
    return { state: 'completed' };
  } catch (error) {
    if (stopReason === 'cancel') return { state: 'cancelled' };
    const message = error instanceof TimeoutError ? `The browser stopped answering: ${error.message}` : (error as Error).message;
    return { state: 'failed', reason: 'internal', message };
  } finally {
    clearTimeout(deadline);
    signal.removeEventListener('abort', onCancel);
    await browser.close();
    await proxy.close();
  }
}

/** The start URL without its fragment, when it is an http(s) URL on the site's domain. */
function startPage(startUrl: string, siteDomain: string): string | null {
  try {
    const url = new URL(startUrl);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !onSiteDomain(url.hostname, siteDomain)) return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

function failedPage(url: string, depth: number, error: string): PageResult {
  return { url, depth, state: 'failed', error, bannerFound: false, passes: [], items: [], hosts: [] };
}
