// @vitest-environment jsdom
// The whole banner on a jsdom page: head.js and banner.js modules run as in a browser (jsdom does no layout
// and runs no blocked script; Chromium covers those in tests/e2e/banner*.spec.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BannerBootConfig, ConsentEventDetail } from '../../../src/banner/config.ts';
import { cat } from './helpers.ts';
import { BUILT_IN_TEXTS } from '../../../src/shared/texts.ts';

const CONFIG: BannerBootConfig = {
  siteId: 's1', publicKey: 'pk_1', config: { policyVersion: '3' },
  categories: [cat('necessary'), cat('analytics', { cookies: ['_ga', '_ga_*'] }), cat('marketing', { cookies: ['_fbp'] })],
};

type Api = typeof import('../../../src/banner/api.ts');

async function load(options: { cookie?: string; lang?: string; gpc?: boolean; config?: BannerBootConfig } = {}): Promise<Api> {
  vi.resetModules();
  // A fresh page: head.js runs once per page (it skips when __consentry exists).
  delete window.dataLayer;
  delete window.gtag;
  delete window.__consentry;
  document.documentElement.lang = options.lang ?? 'en';
  document.head.innerHTML = `<script id="consentry-config" type="application/json">${JSON.stringify(options.config ?? CONFIG)}</script>`;
  document.body.innerHTML = '<main><button id="page">page</button><a href="#" data-consentry-open>settings</a></main>';
  if (options.cookie) document.cookie = options.cookie;
  Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, get: () => options.gpc === true });
  await import('../../../src/banner/head.ts');
  return import('../../../src/banner/api.ts');
}

const clearCookies = () => {
  for (const c of document.cookie.split(';')) {
    const name = c.split('=')[0]!.trim();
    if (name) document.cookie = `${name}=;path=/;max-age=0`;
  }
};
const stored = () => JSON.parse(decodeURIComponent(document.cookie.match(/consentry_consent=([^;]+)/)![1]!));
const buttonNamed = (name: string) => [...document.querySelectorAll<HTMLButtonElement>('#consentry button')].find((b) => b.textContent === name || b.getAttribute('aria-label') === name)!;
const lastConsentCall = () => Array.from((window.dataLayer as IArguments[]).at(-1)!);

let events: Array<[string, ConsentEventDetail]> = [];
const record = (e: Event) => events.push([e.type, (e as CustomEvent<ConsentEventDetail>).detail]);

beforeEach(() => {
  events = [];
  addEventListener('consentry:consent', record);
  addEventListener('consentry:change', record);
});
afterEach(() => {
  removeEventListener('consentry:consent', record);
  removeEventListener('consentry:change', record);
  clearCookies();
});

describe('first visit', () => {
  it('shows the first layer with three equal buttons, first in the body, and no settings button yet', async () => {
    const api = await load();
    const root = document.body.firstElementChild!;
    expect(root.id).toBe('consentry');
    const dialog = root.querySelector('[role="dialog"]')!;
    expect(dialog.getAttribute('aria-labelledby')).toBe('cy-t');
    expect([...dialog.querySelectorAll('button')].map((b) => [b.textContent, b.className])).toEqual([['Accept all', ''], ['Reject all', ''], ['Customize', '']]);
    expect(root.querySelector<HTMLElement>('.cy-fb')!.hidden).toBe(true);
    expect(api.getConsent()).toBeNull();
    expect(api.acceptedCategory('analytics')).toBe(false);
    expect(lastConsentCall()).toEqual(['consent', 'default', expect.objectContaining({ analytics_storage: 'denied', wait_for_update: 500 })]);
  });

  it('Accept all stores the choice, updates Consent Mode and the WP Consent API, and fires consent', async () => {
    const api = await load();
    buttonNamed('Accept all').click();
    expect(stored()).toMatchObject({ v: '3', c: { necessary: 1, analytics: 1, marketing: 1 } });
    expect(lastConsentCall()).toEqual(['consent', 'update', expect.objectContaining({ analytics_storage: 'granted', ad_storage: 'granted' })]);
    expect(document.cookie).toContain('wp_consent_statistics=allow');
    expect(api.getConsent()).toMatchObject({ policyVersion: '3', categories: { analytics: true, marketing: true } });
    expect(events.map(([t, d]) => [t, d.action])).toEqual([['consentry:consent', 'accept_all']]);
    expect(document.querySelector<HTMLElement>('.cy-b')!.hidden).toBe(true);
    expect(document.querySelector<HTMLElement>('.cy-fb')!.hidden).toBe(false);
  });

  it('with GPC, Accept all leaves marketing off and says so', async () => {
    await load({ gpc: true });
    buttonNamed('Accept all').click();
    expect(stored().c).toEqual({ necessary: 1, analytics: 1, marketing: 0 });
    expect(events[0]![1]).toMatchObject({ action: 'accept_all', gpc: true });
  });

  it('the preference centre starts with nothing optional ticked and saves the switches', async () => {
    await load();
    buttonNamed('Customize').click();
    const dialog = document.querySelector('.cy-pc')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const switches = [...dialog.querySelectorAll<HTMLInputElement>('input[role="switch"]')];
    expect(switches.map((s) => [s.id, s.checked, s.disabled, document.querySelector(`label[for="${s.id}"]`)!.textContent])).toEqual([
      ['cy-c-necessary', true, true, 'necessary'], ['cy-c-analytics', false, false, 'analytics'], ['cy-c-marketing', false, false, 'marketing'],
    ]);
    switches[2]!.checked = true;
    buttonNamed('Save choices').click();
    expect(stored().c).toEqual({ necessary: 1, analytics: 0, marketing: 1 });
    expect(events[0]![1].action).toBe('custom');
    expect(document.querySelector<HTMLElement>('.cy-ov')!.hidden).toBe(true);
  });

  it('Escape closes the centre without a choice', async () => {
    await load();
    buttonNamed('Customize').click();
    document.querySelector('.cy-ov')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(document.querySelector<HTMLElement>('.cy-ov')!.hidden).toBe(true);
    expect(document.querySelector<HTMLElement>('.cy-b')!.hidden).toBe(false);
    expect(document.cookie).not.toContain('consentry_consent');
  });

  it('links the privacy policy from the first layer and the cookie declaration from the centre, only to http(s) or site paths', async () => {
    const links = () => [...document.querySelectorAll<HTMLAnchorElement>('#consentry a')].map((a) => [a.closest('.cy-pc') ? 'centre' : 'banner', a.textContent, a.getAttribute('href')]);
    await load({ lang: 'tr', config: { ...CONFIG, builtInTexts: { tr: BUILT_IN_TEXTS.tr }, config: { texts: { tr: { privacyPolicyUrl: 'https://example.com/gizlilik', cookiePolicyUrl: '/cerez-beyani' } } } } });
    buttonNamed('Özelleştir').click();
    expect(links()).toEqual([['banner', 'Gizlilik politikası', 'https://example.com/gizlilik'], ['centre', 'Çerez beyanı', '/cerez-beyani']]);

    await load({ config: { ...CONFIG, config: { texts: { en: { cookiePolicyLabel: 'Our cookies', cookiePolicyUrl: 'javascript:alert(1)' } } } } });
    buttonNamed('Customize').click();
    expect(links()).toEqual([]);
    await load({ config: { ...CONFIG, config: { texts: { en: { cookiePolicyLabel: 'Our cookies', cookiePolicyUrl: 'https://example.com/cookies' } } } } });
    buttonNamed('Customize').click();
    expect(links()).toEqual([['centre', 'Our cookies', 'https://example.com/cookies']]);
  });

  it('speaks Turkish on a Turkish page and lays Arabic out right to left', async () => {
    // The plugin prints the built-in texts of the page's language (the bundle holds English only).
    await load({ lang: 'tr-TR', config: { ...CONFIG, builtInTexts: { tr: BUILT_IN_TEXTS.tr } } });
    expect(buttonNamed('Tümünü kabul et')).toBeTruthy();
    await load({ lang: 'tr-TR' });
    expect(buttonNamed('Accept all')).toBeTruthy();
    await load({ lang: 'ar', config: { ...CONFIG, config: { texts: { ar: { acceptAll: 'قبول الكل' } } } } });
    expect(document.getElementById('consentry')!.getAttribute('dir')).toBe('rtl');
    expect(buttonNamed('قبول الكل')).toBeTruthy();
  });
});

it('head.js runs once per page even when printed twice', async () => {
  await load();
  const first = window.__consentry;
  vi.resetModules();
  await import('../../../src/banner/head.ts');
  expect(window.__consentry).toBe(first);
  expect((window.dataLayer as IArguments[]).filter((a) => a[1] === 'default')).toHaveLength(1);
});

describe('returning visitor', () => {
  const cookie = (c: Record<string, number>, v = '3') =>
    `consentry_consent=${encodeURIComponent(JSON.stringify({ id: 'a'.repeat(32), v, t: Math.floor(Date.now() / 1000) - 60, c }))};path=/`;

  it('gets no banner, Consent Mode update from head.js and a consent event without action', async () => {
    const api = await load({ cookie: cookie({ analytics: 1, marketing: 0 }) });
    expect(document.querySelector('.cy-b')).toBeNull();
    expect((window.dataLayer as IArguments[]).map((a) => a[1])).toEqual(['default', 'update']);
    expect(api.acceptedCategory('analytics')).toBe(true);
    expect(api.acceptedCategory('necessary')).toBe(true);
    expect(events).toEqual([['consentry:consent', expect.objectContaining({ consentId: 'a'.repeat(32), categories: { necessary: true, analytics: true, marketing: false } })]]);
    expect(events[0]![1].action).toBeUndefined();
    expect(document.querySelector<HTMLElement>('.cy-fb')!.hidden).toBe(false);
  });

  it('sees the banner again after a policy bump', async () => {
    await load({ cookie: cookie({ analytics: 1 }, '2') });
    expect(document.querySelector<HTMLElement>('.cy-b')!.hidden).toBe(false);
  });

  it('withdraws from the centre opened by a [data-consentry-open] link: withdraw, change, cookies gone', async () => {
    document.cookie = '_ga=1;path=/';
    document.cookie = '_ga_XYZ=1;path=/';
    document.cookie = '_fbp=1;path=/';
    const api = await load({ cookie: cookie({ analytics: 1, marketing: 1 }) });
    const changes: ConsentEventDetail[] = [];
    const off = api.on('change', (d) => changes.push(d));
    document.querySelector<HTMLAnchorElement>('[data-consentry-open]')!.click();
    const analytics = document.getElementById('cy-c-analytics') as HTMLInputElement;
    expect(analytics.checked).toBe(true);
    analytics.checked = false;
    buttonNamed('Save choices').click();
    expect(events.map(([t, d]) => [t, d.action ?? null])).toEqual([['consentry:consent', null], ['consentry:consent', 'withdraw'], ['consentry:change', 'withdraw']]);
    expect(changes).toEqual([expect.objectContaining({ action: 'withdraw', changed: ['analytics'] })]);
    expect(stored().id).toBe('a'.repeat(32));
    expect(document.cookie).not.toMatch(/(^|; )_ga=/);
    expect(document.cookie).not.toContain('_ga_XYZ');
    expect(document.cookie).toContain('_fbp=1');
    off();
    api.setConsent({ analytics: true, marketing: true });
    expect(changes).toHaveLength(1);
  });
});

describe('a category keyed __proto__ (kept from before the service refused such keys)', () => {
  const config: BannerBootConfig = { ...CONFIG, categories: [cat('necessary'), cat('__proto__', { wpConsentCategory: 'marketing' })] };

  it('stays blocked after Reject all, and no name of Object.prototype reads as granted', async () => {
    const api = await load({ config });
    document.body.insertAdjacentHTML('beforeend', '<iframe id="tracker" data-src="/frame" data-category="__proto__"></iframe><iframe id="other" data-src="/x" data-category="constructor"></iframe>');
    buttonNamed('Reject all').click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stored().c).toEqual({ necessary: 1, ['__proto__']: 0 });
    expect(api.acceptedCategory('__proto__')).toBe(false);
    expect(api.acceptedCategory('constructor')).toBe(false);
    expect(document.getElementById('tracker')!.getAttribute('src')).toBeNull();
    expect(document.getElementById('other')!.getAttribute('src')).toBeNull();
    api.setConsent(JSON.parse('{"__proto__":true}'));
    expect(api.acceptedCategory('__proto__')).toBe(true);
    expect(stored().c).toEqual({ necessary: 1, ['__proto__']: 1 });
  });

  it('a returning visitor who refused it keeps it refused', async () => {
    const api = await load({ config, cookie: `consentry_consent=${encodeURIComponent(JSON.stringify({ id: 'a'.repeat(32), v: '3', t: Math.floor(Date.now() / 1000) - 60, c: JSON.parse('{"necessary":1,"__proto__":0}') }))};path=/` });
    expect(api.getConsent()).not.toBeNull();
    expect(api.acceptedCategory('__proto__')).toBe(false);
    expect(window.__consentry!.g!.__proto__).toBe(false);
  });
});
