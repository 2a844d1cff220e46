/**
 * One pass over one page, in a fresh browser context (its own cookie jar and
 * storage): load the page; for `accept` and `reject`, click that button of
 * Consentry's banner, let the page settle and reload it once, so that
 * server-side blocking sees the consent cookie too; then take stock of what
 * the context holds. Names only: values are never read out of the browser.
 */
import type { Protocol } from 'devtools-protocol';
import type { ScanPass } from '#shared/enums.ts';
import { TimeoutError, withTimeout, type Browser, type EventParams } from './browser.ts';
import { onSiteDomain } from './discovery.ts';
import type { CapturedHost, CapturedItem } from './engine-types.ts';

export interface PassSettings {
  userAgent: string;
  siteDomain: string;
  /** One load of the page (navigation to the load event). */
  pageTimeoutMs: number;
  /** Longest wait for the network to go quiet after a load or a click. */
  settleMs: number;
}

export interface PassResult {
  bannerFound: boolean;
  items: CapturedItem[];
  hosts: CapturedHost[];
  /** Every link of the page as the browser resolved it (the `before` pass only). */
  links: string[];
}

/** A page that cannot be scanned: no retry helps (an HTTP error status, a page that is not a document). */
export class PageError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.retryable = retryable;
  }
}

/**
 * Consentry's banner records choices and pageviews on these endpoints: the
 * scanner's visits must not count as a visitor's (proof of consent, quotas).
 */
const RECORDING_ENDPOINTS = [
  '*/wp-json/consentry/v1/consent*',
  '*/wp-json/consentry/v1/heartbeat*',
  '*rest_route=/consentry/v1/consent*',
  '*rest_route=/consentry/v1/heartbeat*',
  '*/api/v1/consent/log*',
  '*/api/v1/heartbeat*',
];

/**
 * The banner's first layer: its root `#consentry` holds button rows
 * `.cy-btns` (Accept all, Reject all, then Customize), the first of them on
 * the first layer (src/banner/core.ts). head.js leaves `window.__consentry`.
 */
const BANNER_PROBE = `(() => {
  const row = document.querySelector('#consentry .cy-btns');
  return { runtime: typeof window.__consentry === 'object' && window.__consentry !== null, buttons: row ? row.querySelectorAll('button').length : 0, ready: document.readyState };
})()`;

const clickScript = (index: number) => `(() => {
  const row = document.querySelector('#consentry .cy-btns');
  const button = row && row.querySelectorAll('button')[${index}];
  if (!button) return false;
  button.click();
  return true;
})()`;

const INVENTORY_SCRIPT = `(async () => {
  const keys = (name) => { try { return Object.keys(window[name]); } catch { return []; } };
  let databases = [];
  try { databases = (await indexedDB.databases()).map((d) => d.name).filter(Boolean); } catch {}
  let cookies = [];
  try { cookies = document.cookie.split(';').map((c) => c.split('=')[0].trim()).filter(Boolean); } catch {}
  const links = Array.from(document.querySelectorAll('a[href], area[href]'), (a) => a.href).filter((h) => typeof h === 'string');
  return { host: location.hostname, cookies, local: keys('localStorage'), session: keys('sessionStorage'), databases, links };
})()`;

interface Inventory { host: string; cookies: string[]; local: string[]; session: string[]; databases: string[]; links: string[] }

const RESOURCE_TYPES: Partial<Record<Protocol.Network.ResourceType, CapturedHost['resourceType']>> = {
  Script: 'script',
  Image: 'image',
  Ping: 'beacon',
};

export async function runPass(browser: Browser, url: string, pass: ScanPass, settings: PassSettings, signal: AbortSignal): Promise<PassResult> {
  const { browserContextId } = await browser.send('Target.createBrowserContext', { disposeOnDetach: true });
  const stops: Array<() => void> = [];
  try {
    const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank', browserContextId });
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
    const send: typeof browser.send = (method, params) => browser.send(method, params, sessionId);
    const listen = <E extends Parameters<Browser['on']>[0]>(event: E, fn: (p: EventParams<E>) => void) =>
      stops.push(browser.on(event, (p, s) => { if (s === sessionId) fn(p); }));

    const setCookies = new Map<string, CapturedItem>();
    const hosts = new Map<string, CapturedHost>();
    const requestUrls = new Map<string, string>();
    const inflight = new Set<string>();
    let lastActivity = Date.now();
    let loads = 0;
    let documentStatus: number | null = null;
    const wake = new Set<() => void>();
    const poke = () => { for (const w of wake) w(); };

    listen('Network.requestWillBeSent', (e) => {
      requestUrls.set(e.requestId, e.request.url);
      inflight.add(e.requestId);
      lastActivity = Date.now();
      let host: string;
      try {
        const u = new URL(e.request.url);
        if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'ws:' && u.protocol !== 'wss:') return;
        host = u.hostname;
      } catch {
        return;
      }
      if (onSiteDomain(host, settings.siteDomain)) return;
      const resourceType = e.type === 'Document' ? (e.frameId === targetId ? 'other' : 'iframe') : (RESOURCE_TYPES[e.type ?? 'Other'] ?? 'other');
      const key = `${host}\0${resourceType}`;
      if (!hosts.has(key)) hosts.set(key, { host, resourceType, pass });
    });
    const finished = (e: { requestId: string }) => {
      inflight.delete(e.requestId);
      lastActivity = Date.now();
      poke();
    };
    listen('Network.loadingFinished', finished);
    listen('Network.loadingFailed', finished);
    listen('Network.responseReceived', (e) => {
      if (e.type === 'Document' && e.frameId === targetId) documentStatus = e.response.status;
    });
    listen('Network.responseReceivedExtraInfo', (e) => {
      const at = requestUrls.get(e.requestId);
      if (!at) return;
      const blocked = new Set(e.blockedCookies.map((b) => b.cookieLine));
      for (const line of setCookieLines(e.headers)) {
        if (blocked.has(line)) continue;
        const item = parseSetCookie(line, new URL(at).hostname, pass);
        if (item) setCookies.set(itemKey(item), item);
      }
    });
    listen('Page.loadEventFired', () => {
      loads++;
      poke();
    });

    const until = (ready: () => boolean, ms: number, what: string): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (signal.aborted) done(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
          else if (ready()) done();
        };
        const timer = setTimeout(() => done(new TimeoutError(what)), ms);
        const tick = setInterval(check, 50);
        const onAbort = () => check();
        signal.addEventListener('abort', onAbort);
        wake.add(check);
        function done(error?: Error) {
          clearTimeout(timer);
          clearInterval(tick);
          signal.removeEventListener('abort', onAbort);
          wake.delete(check);
          if (error) reject(error);
          else resolve();
        }
        check();
      });
    const settle = () => until(() => inflight.size === 0 && Date.now() - lastActivity >= QUIET_MS, settings.settleMs, 'settle').catch((error) => {
      // A page that keeps a connection open never goes quiet: it is captured as it is then.
      if (!(error instanceof TimeoutError)) throw error;
    });
    const evaluate = async <T>(expression: string): Promise<T> => {
      const result = await withTimeout(send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }), settings.pageTimeoutMs, 'the page did not answer');
      if (result.exceptionDetails) throw new PageError(`script error: ${result.exceptionDetails.text}`, true);
      return result.result.value as T;
    };
    const load = async (how: () => Promise<void>) => {
      const before = loads;
      documentStatus = null;
      await how();
      await until(() => loads > before, settings.pageTimeoutMs, `the page did not load within ${settings.pageTimeoutMs} ms`);
      if (documentStatus !== null && documentStatus >= 400) throw new PageError(`HTTP ${documentStatus}`, documentStatus >= 500);
      await settle();
    };

    await Promise.all([
      send('Page.enable', {}),
      send('Network.enable', {}),
      send('Network.setUserAgentOverride', { userAgent: settings.userAgent }),
      send('Network.setBlockedURLs', { urls: RECORDING_ENDPOINTS }),
    ]);
    await load(async () => {
      const navigation = await withTimeout(send('Page.navigate', { url }), settings.pageTimeoutMs, `the page did not answer within ${settings.pageTimeoutMs} ms`);
      if (navigation.errorText) throw new PageError(navigation.errorText, true);
    });

    let banner = await evaluate<{ runtime: boolean; buttons: number; ready: string }>(BANNER_PROBE);
    // banner.js is deferred and may still be on its way when the page's head.js already runs.
    for (let i = 0; banner.runtime && banner.buttons < 2 && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      banner = await evaluate(BANNER_PROBE);
    }
    const bannerFound = banner.runtime && banner.buttons >= 2;
    if (pass !== 'before') {
      if (!bannerFound) throw new PageError(`the banner was not found in the "${pass}" pass`, true);
      const clicked = await evaluate<boolean>(clickScript(pass === 'accept' ? 0 : 1));
      if (!clicked) throw new PageError(`the banner's "${pass === 'accept' ? 'Accept all' : 'Reject all'}" button was not found`, true);
      lastActivity = Date.now();
      await settle();
      await load(async () => {
        await send('Page.reload', {});
      });
    }

    const [inventory, { cookies }, framed] = await Promise.all([
      evaluate<Inventory>(INVENTORY_SCRIPT),
      browser.send('Storage.getCookies', { browserContextId }),
      frameStorage(send, settings.pageTimeoutMs),
    ]);
    const items = new Map<string, CapturedItem>(setCookies);
    const now = Date.now() / 1000;
    for (const c of cookies) {
      const item: CapturedItem = {
        kind: 'cookie', name: c.name, domain: c.domain, pass,
        attributes: {
          httpOnly: c.httpOnly, secure: c.secure, path: c.path,
          ...(c.sameSite ? { sameSite: c.sameSite } : {}),
          expiresInSeconds: c.session || c.expires < 0 ? null : Math.max(0, Math.round(c.expires - now)),
        },
      };
      items.set(itemKey(item), item);
    }
    const cookieNames = new Set([...items.values()].map((i) => i.name));
    for (const name of inventory.cookies) {
      if (!cookieNames.has(name)) items.set(`cookie\0${name}\0${inventory.host}`, { kind: 'cookie', name, domain: inventory.host, pass });
    }
    const storage: Array<[CapturedItem['kind'], string[]]> = [['localStorage', inventory.local], ['sessionStorage', inventory.session], ['indexedDB', inventory.databases]];
    for (const [kind, names] of storage) {
      for (const name of names) items.set(`${kind}\0${name}\0${inventory.host}`, { kind, name, domain: inventory.host, pass });
    }
    for (const { kind, name, host } of framed) {
      if (host !== inventory.host) items.set(`${kind}\0${name}\0${host}`, { kind, name, domain: host, pass });
    }
    return { bannerFound, items: [...items.values()], hosts: [...hosts.values()], links: pass === 'before' ? inventory.links : [] };
  } finally {
    for (const stop of stops) stop();
    await withTimeout(browser.send('Target.disposeBrowserContext', { browserContextId }), 10_000, 'dispose').catch(() => {});
  }
}

type Send = Browser['send'];

/**
 * The storage of the page's frames from other origins (a third party's embed): local and session storage keys and
 * IndexedDB names, by the frame's host. The page's own script sees only its own origin's; the protocol reads each
 * frame's storage under its storage key (partitioned by the top-level site, as the browser keeps it). The protocol
 * hands the values over too: only the keys are kept.
 */
async function frameStorage(send: Send, timeoutMs: number): Promise<Array<{ kind: CapturedItem['kind']; name: string; host: string }>> {
  const { frameTree } = await withTimeout(send('Page.getFrameTree', {}), timeoutMs, 'the page did not answer');
  const main = new URL(frameTree.frame.url).origin;
  const frames: Protocol.Page.Frame[] = [];
  const walk = (tree: Protocol.Page.FrameTree) => {
    for (const child of tree.childFrames ?? []) {
      frames.push(child.frame);
      walk(child);
    }
  };
  walk(frameTree);
  const found: Array<{ kind: CapturedItem['kind']; name: string; host: string }> = [];
  const seen = new Set<string>();
  await Promise.all(frames.map(async (frame) => {
    let url: URL;
    try {
      url = new URL(frame.url);
    } catch {
      return;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin === main) return;
    try {
      const { storageKey } = await withTimeout(send('Storage.getStorageKeyForFrame', { frameId: frame.id }), timeoutMs, 'storage key');
      if (seen.has(storageKey)) return;
      seen.add(storageKey);
      const [local, session, databases] = await Promise.all([
        withTimeout(send('DOMStorage.getDOMStorageItems', { storageId: { storageKey, isLocalStorage: true } }), timeoutMs, 'local storage'),
        withTimeout(send('DOMStorage.getDOMStorageItems', { storageId: { storageKey, isLocalStorage: false } }), timeoutMs, 'session storage'),
        withTimeout(send('IndexedDB.requestDatabaseNames', { storageKey }), timeoutMs, 'indexedDB'),
      ]);
      for (const [name] of local.entries) if (name) found.push({ kind: 'localStorage', name, host: url.hostname });
      for (const [name] of session.entries) if (name) found.push({ kind: 'sessionStorage', name, host: url.hostname });
      for (const name of databases.databaseNames) if (name) found.push({ kind: 'indexedDB', name, host: url.hostname });
    } catch {
      // A frame that went away meanwhile, or one the protocol cannot read: the page's own storage still counts.
    }
  }));
  return found;
}

/** The network counts as settled after this long without a request starting or ending. */
const QUIET_MS = 200;

const itemKey = (i: CapturedItem) => `${i.kind}\0${i.name}\0${i.domain}`;

/** The Set-Cookie lines of raw response headers (the protocol joins repeated headers with newlines). */
function setCookieLines(headers: Protocol.Network.Headers): string[] {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'set-cookie' && typeof value === 'string') lines.push(...value.split('\n').map((l) => l.trim()).filter(Boolean));
  }
  return lines;
}

/** A Set-Cookie line as an item (its name and attributes; the value is dropped), or null for a deletion or nonsense. */
export function parseSetCookie(line: string, requestHost: string, pass: ScanPass, nowMs = Date.now()): CapturedItem | null {
  const [pair = '', ...parts] = line.split(';');
  const eq = pair.indexOf('=');
  const name = (eq >= 0 ? pair.slice(0, eq) : pair).trim();
  if (!name || eq < 0) return null;
  const attributes: NonNullable<CapturedItem['attributes']> = { httpOnly: false, secure: false, path: '/', expiresInSeconds: null };
  let domain = requestHost;
  let maxAge: number | null = null;
  let expires: number | null = null;
  for (const part of parts) {
    const i = part.indexOf('=');
    const key = (i >= 0 ? part.slice(0, i) : part).trim().toLowerCase();
    const value = i >= 0 ? part.slice(i + 1).trim() : '';
    if (key === 'httponly') attributes.httpOnly = true;
    else if (key === 'secure') attributes.secure = true;
    else if (key === 'path' && value.startsWith('/')) attributes.path = value;
    else if (key === 'samesite' && value) attributes.sameSite = value[0]!.toUpperCase() + value.slice(1).toLowerCase();
    else if (key === 'domain' && value) domain = '.' + value.replace(/^\./, '').toLowerCase();
    else if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
    else if (key === 'expires') {
      const t = Date.parse(value);
      if (!Number.isNaN(t)) expires = Math.round((t - nowMs) / 1000);
    }
  }
  const lifetime = maxAge ?? expires;
  if (lifetime !== null && lifetime <= 0) return null;
  attributes.expiresInSeconds = lifetime;
  return { kind: 'cookie', name, domain, attributes, pass };
}
