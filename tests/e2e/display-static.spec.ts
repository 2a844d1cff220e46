/**
 * The display-preferences widget on a static copy of a page (no WordPress):
 * boot config and head.js inlined, banner.js deferred, display.js fetched by
 * the opener. A tiny node:http server records every request.
 * Needs `node scripts/build/build.ts banner` first (the spec builds when missing).
 */
import { expect, test, type Page, type Request } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DISPLAY_PROFILES, type DisplayAdjustment, type DisplayProfile } from '../../src/shared/enums.ts';
import { PRESETS } from '../../src/banner/display/adjust.ts';
import { BUILT_IN_TEXTS, type BuiltInLanguage } from '../../src/shared/texts.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const COUNT_PATH = '/wp-json/consentry/v1/display-usage';

interface Hit { path: string; body: string; headers: IncomingHttpHeaders }

function bootConfig(displayPreferences: Record<string, unknown> = {}) {
  return {
    siteId: 'site_static', publicKey: 'pk_static_test',
    config: {
      policyVersion: '1',
      displayPreferences: { enabled: true, position: 'bottom-left', profiles: [...DISPLAY_PROFILES], ...displayPreferences },
    },
    categories: [{
      key: 'necessary', nameEn: 'Necessary', descriptionEn: 'Needed.', translations: {}, isRequired: true, isDefault: true, sortOrder: 0,
      cookies: [], blockPatterns: [], wpConsentCategory: 'functional',
    }],
    endpoints: {
      consent: '/wp-json/consentry/v1/consent', heartbeat: '/wp-json/consentry/v1/heartbeat',
      displayUsage: COUNT_PATH, displayScript: '/display.js?ver=test',
    },
  };
}

/** Two seconds of a quiet tone, 8 kHz 8-bit mono WAV: what the page's autoplaying <video> plays. */
const TONE = (() => {
  const samples = 16000;
  const b = Buffer.alloc(44 + samples);
  b.write('RIFF', 0); b.writeUInt32LE(36 + samples, 4); b.write('WAVEfmt ', 8); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22); b.writeUInt32LE(8000, 24); b.writeUInt32LE(8000, 28); b.writeUInt16LE(1, 32); b.writeUInt16LE(8, 34);
  b.write('data', 36); b.writeUInt32LE(samples, 40);
  for (let i = 0; i < samples; i++) b[44 + i] = 128 + Math.round(20 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  return b;
})();

/** The config as the plugin prints it: with the built-in texts of the page's language (the bundle holds English only). */
function printed(config: object, lang: string) {
  const l = lang.toLowerCase().split('-')[0]!;
  return l !== 'en' && Object.hasOwn(BUILT_IN_TEXTS, l) ? { ...config, builtInTexts: { [l]: BUILT_IN_TEXTS[l as BuiltInLanguage] } } : config;
}

let server: Server;
let origin = '';
let hits: Hit[] = [];
let pageConfig = bootConfig();
let pageLang = 'en';
let pageDir = 'ltr';

test.beforeAll(async () => {
  if (!existsSync(`${root}plugin/build/display/display.js`)) execFileSync(process.execPath, ['scripts/build/build.ts', 'banner'], { cwd: root, stdio: 'inherit' });
  const template = readFileSync(`${root}tests/e2e/fixtures/display/page.html`, 'utf8');
  server = createServer((req, res) => {
    const path = (req.url || '/').split('?')[0]!;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ path, body, headers: req.headers });
      const send = (status: number, type: string, text: string) => { res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' }); res.end(text); };
      if (path === '/' || path === '/other') {
        const head = readFileSync(`${root}plugin/build/banner/head.js`, 'utf8');
        const html = template.replace('{{LANG}}', pageLang).replace('{{DIR}}', pageDir).replace('{{TITLE}}', path === '/' ? 'Home' : 'Other page')
          .replace('{{CONFIG}}', () => JSON.stringify(printed(pageConfig, pageLang)).replace(/</g, '\\u003c'))
          .replace('{{HEAD}}', () => head);
        return send(200, 'text/html; charset=utf-8', html);
      }
      if (path === '/banner.js' || path === '/display.js') return send(200, 'text/javascript', readFileSync(`${root}plugin/build/${path === '/banner.js' ? 'banner' : 'display'}${path}`, 'utf8'));
      if (path === '/tone.wav') {
        res.writeHead(200, { 'Content-Type': 'audio/wav', 'Cache-Control': 'no-store' });
        return res.end(TONE);
      }
      if (path.startsWith('/wp-json/consentry/v1/')) return send(path === COUNT_PATH ? 202 : 201, 'application/json', '{"success":true}');
      send(404, 'text/plain', 'not found');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

test.beforeEach(async ({ context }) => {
  hits = [];
  pageConfig = bootConfig();
  pageLang = 'en';
  pageDir = 'ltr';
  // A returning visitor: the consent banner is not in the way of the opener.
  const choice = { id: 'a'.repeat(32), v: '1', t: Math.floor(Date.now() / 1000), c: { necessary: 1 } };
  await context.addCookies([{ name: 'consentry_consent', value: encodeURIComponent(JSON.stringify(choice)), url: origin }]);
});

const requested = (path: string) => hits.some((h) => h.path === path);
const opener = (page: Page, name = 'Display preferences') => page.getByRole('button', { name, exact: true });
const widget = (page: Page, name = 'Display preferences') => page.getByRole('dialog', { name });
const pressed = (page: Page, name: string) => widget(page).getByRole('button', { name, exact: true });

async function visit(page: Page, path = '/', name?: string) {
  await page.goto(origin + path);
  await page.waitForLoadState('load');
  await expect(opener(page, name)).toBeVisible();
}

async function openWidget(page: Page, name?: string) {
  await opener(page, name).click();
  await expect(widget(page, name)).toBeVisible();
}

/** The computed styles the adjustments may touch, on sample elements of the page. */
const PROPS = [
  'font-size', 'line-height', 'letter-spacing', 'word-spacing', 'font-family', 'color', 'background-color', 'border-top-color',
  'filter', 'animation-duration', 'animation-iteration-count', 'transition-duration', 'text-decoration-line', 'text-decoration-thickness',
  'cursor', 'margin-bottom', 'outline-style', 'display', 'position', 'visibility', 'opacity',
] as const;
type Snapshot = Record<string, Record<string, string>>;

const snapshot = (page: Page): Promise<Snapshot> => page.evaluate((props) => {
  const out: Record<string, Record<string, string>> = {};
  const els: Array<[string, Element]> = [['html', document.documentElement], ['body', document.body]];
  for (const id of ['s-h1', 's-p', 's-a', 's-card', 's-button', 's-spin']) els.push([id, document.getElementById(id)!]);
  for (const [name, el] of els) {
    const cs = getComputedStyle(el);
    out[name] = Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
  }
  return out;
}, [...PROPS]);

/** Which properties differ between two snapshots (on any sample). */
function changed(a: Snapshot, b: Snapshot): string[] {
  const out = new Set<string>();
  for (const el in a) for (const p in a[el]) if (a[el]![p] !== b[el]![p]) out.add(p);
  return [...out].sort();
}

/** The properties each adjustment is meant to change on the samples (focus shows only on a focused element; the guide is an element of its own). */
const EXPECTED: Record<DisplayAdjustment, string[]> = {
  // Text scales from the root: so do line heights (in px once computed) and the page's margins in rem.
  text: ['font-size', 'line-height', 'margin-bottom'],
  lines: ['line-height', 'margin-bottom'],
  letters: ['letter-spacing', 'word-spacing'],
  font: ['font-family'],
  high: ['color', 'background-color', 'border-top-color'],
  dark: ['color', 'background-color', 'border-top-color'],
  light: ['color', 'background-color', 'border-top-color'],
  saturation: ['filter'],
  motion: ['animation-duration', 'animation-iteration-count', 'transition-duration'],
  // A link's border colour is its text colour unless set.
  links: ['text-decoration-line', 'text-decoration-thickness', 'background-color', 'color', 'border-top-color'],
  focus: [],
  cursor: ['cursor'],
  guide: [],
};
const expectedFor = (adjustments: DisplayAdjustment[]) => [...new Set(adjustments.flatMap((a) => EXPECTED[a]))].sort();

test('no request for the widget until the opener is used; the opener moves nothing; then the dialog opens', async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { __cls: number }).__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Array<PerformanceEntry & { value: number }>) (window as unknown as { __cls: number }).__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const requests: string[] = [];
  page.on('request', (r: Request) => requests.push(new URL(r.url()).pathname));
  await page.goto(origin + '/');
  const before = await page.evaluate(() => ['s-h1', 's-p', 's-card'].map((id) => JSON.stringify(document.getElementById(id)!.getBoundingClientRect())));
  await page.waitForLoadState('load');
  await expect(opener(page)).toBeVisible();
  // The opener is fixed: the page's boxes are where they were, and no layout shift was recorded.
  expect(await page.evaluate(() => ['s-h1', 's-p', 's-card'].map((id) => JSON.stringify(document.getElementById(id)!.getBoundingClientRect())))).toEqual(before);
  await expect(opener(page)).toHaveCSS('position', 'fixed');
  expect(await page.evaluate(() => (window as unknown as { __cls: number }).__cls)).toBe(0);
  expect(requests).not.toContain('/display.js');
  expect(requested('/display.js')).toBe(false);
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  await openWidget(page);
  expect(requested('/display.js')).toBe(true);
  // Opening changes nothing on a page of a visitor without system preferences, and saves nothing.
  await expect(widget(page).locator('[aria-pressed="true"]')).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  // Only the offered profiles are shown.
  await expect(widget(page).getByRole('button', { name: 'Seizure safe' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __cls: number }).__cls)).toBe(0);
});

test('the opener sits where the site says, inside the viewport, never on the cookie settings button; mirrored right to left', async ({ page }) => {
  const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  const place = async () => {
    const o = (await opener(page).boundingBox())!;
    const fab = (await page.getByRole('button', { name: 'Cookie settings' }).boundingBox())!;
    expect(o.x).toBeGreaterThanOrEqual(0);
    expect(o.x + o.width).toBeLessThanOrEqual(1280);
    expect(o.y + o.height).toBeLessThanOrEqual(900);
    expect(o.width).toBeGreaterThanOrEqual(44);
    expect(overlap(o, fab)).toBe(false);
    return { side: o.x < 640 ? 'left' : 'right', middle: Math.abs(o.y + o.height - 450) < 2 };
  };
  for (const [position, side, middle] of [['bottom-left', 'left', false], ['bottom-right', 'right', false], ['middle-left', 'left', true], ['middle-right', 'right', true]] as const) {
    pageConfig = bootConfig({ position });
    await visit(page);
    expect(await place(), position).toEqual({ side, middle });
  }
  // An Arabic banner is laid out right to left: "left" is the start side.
  pageConfig = bootConfig({ position: 'bottom-left' });
  (pageConfig.config as Record<string, unknown>).texts = { ar: { settings: 'إعدادات ملفات تعريف الارتباط' } };
  pageLang = 'ar';
  pageDir = 'rtl';
  await page.goto(origin + '/');
  await page.waitForLoadState('load');
  await expect(page.locator('#consentry')).toHaveAttribute('dir', 'rtl');
  const o = (await opener(page).boundingBox())!;
  const fab = (await page.getByRole('button', { name: 'إعدادات ملفات تعريف الارتباط' }).boundingBox())!;
  expect(o.x).toBeGreaterThan(640);
  expect(overlap(o, fab)).toBe(false);
});

test('only the profiles the site offers are shown; a site with the widget off shows no opener and fetches nothing', async ({ page }) => {
  pageConfig = bootConfig({ profiles: ['dyslexia_friendly', 'keyboard_motor'] });
  await visit(page);
  await openWidget(page);
  const names = await widget(page).locator('ul').first().getByRole('button').allTextContents();
  expect(names).toEqual(['Dyslexia friendly', 'Keyboard and motor']);
  pageConfig = bootConfig({ enabled: false });
  await page.goto(origin + '/');
  await page.waitForLoadState('load');
  await expect(page.locator('#consentry')).toBeAttached();
  await expect(opener(page)).toHaveCount(0);
});

for (const profile of DISPLAY_PROFILES) {
  test(`profile ${profile}: changes the computed styles it should and nothing else; reset restores the page`, async ({ page }) => {
    await visit(page);
    const original = await snapshot(page);
    await openWidget(page);
    await pressed(page, (await widget(page).locator(`[aria-describedby="cyd-p-${profile}"]`).textContent())!).click();
    await expect(widget(page).locator(`[aria-describedby="cyd-p-${profile}"]`)).toHaveAttribute('aria-pressed', 'true');
    // The visitor sees what it turns on: the description lists the preset, and those toggles are pressed.
    const on = await widget(page).locator('ul').nth(1).locator('[aria-pressed="true"]').allTextContents();
    expect(on.length).toBe(PRESETS[profile].length);
    await expect(widget(page).locator(`#cyd-p-${profile}`)).toContainText(on.join(', '));
    const after = await snapshot(page);
    expect(changed(original, after)).toEqual(expectedFor(PRESETS[profile]));
    if (PRESETS[profile].includes('guide')) await expect(page.locator('.cyd-g')).toHaveAttribute('aria-hidden', 'true');
    // Nothing injected into the page's own markup: no ARIA, alt, role or tabindex changes.
    expect(await page.evaluate(() => document.querySelector('main')!.outerHTML)).not.toMatch(/aria-|role=|tabindex|alt=/);
    await widget(page).getByRole('button', { name: 'Reset' }).click();
    expect(await snapshot(page)).toEqual(original);
    await expect(page.locator('.cyd-g')).toHaveCount(0);
    expect(await page.evaluate(() => localStorage.getItem('consentry_display'))).toBeNull();
  });
}

test('each adjustment alone changes only its own properties; contrast modes exclude each other', async ({ page }) => {
  await visit(page);
  const original = await snapshot(page);
  await openWidget(page);
  const labels: Record<DisplayAdjustment, string> = {
    text: 'Larger text', lines: 'Line spacing', letters: 'Letter spacing', font: 'Readable font', high: 'High contrast', dark: 'Dark contrast',
    light: 'Light contrast', saturation: 'Lower saturation', motion: 'Stop animations', links: 'Highlight links', focus: 'Strong focus outline',
    cursor: 'Big cursor', guide: 'Reading guide',
  };
  for (const [adjustment, label] of Object.entries(labels) as Array<[DisplayAdjustment, string]>) {
    await pressed(page, label).click();
    await expect(pressed(page, label)).toHaveAttribute('aria-pressed', 'true');
    expect(changed(original, await snapshot(page)), adjustment).toEqual(expectedFor([adjustment]));
    await pressed(page, label).click();
    await expect(pressed(page, label)).toHaveAttribute('aria-pressed', 'false');
    expect(await snapshot(page), adjustment).toEqual(original);
  }
  await pressed(page, 'High contrast').click();
  await pressed(page, 'Dark contrast').click();
  await expect(pressed(page, 'High contrast')).toHaveAttribute('aria-pressed', 'false');
  await expect(pressed(page, 'Dark contrast')).toHaveAttribute('aria-pressed', 'true');
  expect((await snapshot(page))['s-p']!['background-color']).toBe('rgb(30, 30, 30)');
  // Larger text: 125 % of the page's own root size, in relative units (zoom keeps working).
  await pressed(page, 'Larger text').click();
  expect((await snapshot(page)).html!['font-size']).toBe('20px');
  // The strong focus outline shows on what has keyboard focus.
  await pressed(page, 'Strong focus outline').click();
  await page.keyboard.press('Escape');
  await page.locator('#s-button').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(page.locator('#s-button')).toBeFocused();
  await expect(page.locator('#s-button')).toHaveCSS('outline-style', 'solid');
  await expect(page.locator('#s-button')).toHaveCSS('outline-color', 'rgb(29, 78, 216)');
});

test('choices persist across reloads and pages, applied before the widget is fetched again', async ({ page }) => {
  await visit(page);
  const original = await snapshot(page);
  await openWidget(page);
  await widget(page).getByRole('button', { name: 'Dyslexia friendly' }).click();
  await pressed(page, 'Highlight links').click();
  const chosen = await snapshot(page);
  expect(changed(original, chosen)).toEqual(expectedFor([...PRESETS.dyslexia_friendly, 'links']));
  await page.keyboard.press('Escape');
  for (const path of ['/', '/other']) {
    // head.js applies the saved stylesheet while the page is parsed: already there when the DOM is ready.
    await page.goto(origin + path, { waitUntil: 'domcontentloaded' });
    expect(await page.evaluate(() => document.getElementById('consentry-display-css')?.textContent?.includes('letter-spacing'))).toBe(true);
    await page.waitForLoadState('load');
    await page.waitForFunction(() => 'ConsentryDisplay' in window);
    expect(await snapshot(page)).toEqual(chosen);
  }
  await openWidget(page);
  await expect(pressed(page, 'Readable font')).toHaveAttribute('aria-pressed', 'true');
  await expect(pressed(page, 'Highlight links')).toHaveAttribute('aria-pressed', 'true');
  // Changed after picking: no longer the profile as such.
  await expect(widget(page).getByRole('button', { name: 'Dyslexia friendly' })).toHaveAttribute('aria-pressed', 'false');
  await widget(page).getByRole('button', { name: 'Reset' }).click();
  await page.reload();
  await page.waitForLoadState('load');
  expect(await snapshot(page)).toEqual(original);
});

test('stop animations pauses autoplaying media once: the page\'s own controls start it again; saved, later pages pause it too', async ({ page }) => {
  const video = () => page.evaluate(() => { const v = document.getElementById('s-video') as HTMLVideoElement; return { paused: v.paused, ready: v.readyState }; });
  await visit(page);
  await page.waitForFunction(() => { const v = document.getElementById('s-video') as HTMLVideoElement; return !v.paused && v.currentTime > 0; });
  await openWidget(page);
  await pressed(page, 'Stop animations').click();
  expect((await video()).paused).toBe(true);
  await page.evaluate(() => (document.getElementById('s-video') as HTMLVideoElement).play());
  await page.waitForFunction(() => { const v = document.getElementById('s-video') as HTMLVideoElement; return !v.paused && v.currentTime > 0; });
  await page.reload();
  // Autoplay starts when the media has enough data (paused turns false then); the widget pauses it.
  await page.waitForFunction(() => { const v = document.getElementById('s-video') as HTMLVideoElement; return 'ConsentryDisplay' in window && v.readyState === 4 && v.paused; });
  await page.evaluate(() => (document.getElementById('s-video') as HTMLVideoElement).play());
  await page.waitForFunction(() => { const v = document.getElementById('s-video') as HTMLVideoElement; return !v.paused && v.currentTime > 0; });
});

test('the widget starts from the system preferences (reduced motion, more contrast) without saving them', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce', contrast: 'more' });
  await visit(page);
  await openWidget(page);
  await expect(pressed(page, 'Stop animations')).toHaveAttribute('aria-pressed', 'true');
  await expect(pressed(page, 'High contrast')).toHaveAttribute('aria-pressed', 'true');
  await expect(pressed(page, 'Larger text')).toHaveAttribute('aria-pressed', 'false');
  expect(await page.evaluate(() => localStorage.getItem('consentry_display'))).toBeNull();
});

test('keyboard only: Tab reaches the opener, the dialog keeps focus, toggles with Space and Enter, Escape closes and focus returns', async ({ page }) => {
  await visit(page);
  await page.keyboard.press('Tab');
  let guard = 0;
  while (!(await opener(page).evaluate((el) => el === document.activeElement)) && guard++ < 10) await page.keyboard.press('Tab');
  await expect(opener(page)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(widget(page)).toBeVisible();
  await expect(widget(page).getByRole('button', { name: 'Close' })).toBeFocused();
  // Focus stays in the dialog however far one tabs.
  const count = await widget(page).getByRole('button').count();
  for (let i = 0; i < count + 2; i++) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('.cyd'))).toBe(true);
  }
  await widget(page).getByRole('button', { name: 'Seizure safe' }).focus();
  await page.keyboard.press('Space');
  await expect(widget(page).getByRole('button', { name: 'Seizure safe' })).toHaveAttribute('aria-pressed', 'true');
  await pressed(page, 'Big cursor').focus();
  await page.keyboard.press('Enter');
  await expect(pressed(page, 'Big cursor')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Escape');
  await expect(widget(page)).toBeHidden();
  await expect(opener(page)).toBeFocused();
  // Again, by the close button.
  await page.keyboard.press('Enter');
  await expect(widget(page)).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(widget(page)).toBeHidden();
  await expect(opener(page)).toBeFocused();
});

async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: `${root}node_modules/axe-core/axe.min.js` });
  return page.evaluate(async () => {
    const a = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
    const r = await a.run({ include: [['.cyd'], ['.cy-dp-bottom-left']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
}

test('axe-core finds no violations in the open dialog: English, Turkish, and on a right-to-left page', async ({ page }) => {
  await visit(page);
  await openWidget(page);
  await widget(page).getByRole('button', { name: 'Vision impaired' }).click();
  expect(await axe(page)).toEqual([]);

  pageLang = 'tr';
  await visit(page, '/', 'Görüntü tercihleri');
  await openWidget(page, 'Görüntü tercihleri');
  await expect(widget(page, 'Görüntü tercihleri')).toHaveAttribute('lang', 'tr');
  await expect(widget(page, 'Görüntü tercihleri').getByRole('button', { name: 'Sıfırla' })).toBeVisible();
  expect(await axe(page)).toEqual([]);

  pageLang = 'ar';
  pageDir = 'rtl';
  await page.goto(origin + '/');
  await page.waitForLoadState('load');
  await openWidget(page);
  const box = (await widget(page).boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(1280);
  expect(await axe(page)).toEqual([]);
});

for (const [width, height, what] of [[320, 640, '320 px wide'], [640, 450, '200 % zoom of a 1280 x 900 window']] as const) {
  test(`works at ${what}: inside the viewport, nothing cut off, no horizontal scrolling`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await visit(page);
    await openWidget(page);
    const box = (await widget(page).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    expect(box.height).toBeLessThanOrEqual(height);
    expect(await widget(page).evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
    const reset = widget(page).getByRole('button', { name: 'Reset' });
    await reset.scrollIntoViewIfNeeded();
    await expect(reset).toBeInViewport();
    // Larger text still fits.
    await pressed(page, 'Larger text').click();
    expect(await widget(page).evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
}

test('a picked profile sends one anonymous count: the profile only, no cookie, no referrer; toggles send nothing', async ({ page }) => {
  const counts: Request[] = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname === COUNT_PATH) counts.push(r); });
  await visit(page);
  await openWidget(page);
  for (const label of ['Larger text', 'Big cursor', 'Reading guide']) await pressed(page, label).click();
  await widget(page).getByRole('button', { name: 'ADHD friendly' }).click();
  await expect.poll(() => hits.filter((h) => h.path === COUNT_PATH).length).toBe(1);
  // Off and on again, and another: still one per profile per page view.
  await widget(page).getByRole('button', { name: 'ADHD friendly' }).click();
  await widget(page).getByRole('button', { name: 'ADHD friendly' }).click();
  await widget(page).getByRole('button', { name: 'Cognitive' }).click();
  await expect.poll(() => hits.filter((h) => h.path === COUNT_PATH).length).toBe(2);
  const sent = hits.filter((h) => h.path === COUNT_PATH);
  expect(sent.map((h) => JSON.parse(h.body))).toEqual([{ profile: 'adhd_friendly' }, { profile: 'cognitive' }]);
  for (const h of sent) {
    expect(h.headers.cookie).toBeUndefined();
    expect(h.headers.referer).toBeUndefined();
  }
  expect(counts).toHaveLength(2);
  for (const r of counts) {
    const headers = await r.allHeaders();
    expect(headers.cookie).toBeUndefined();
    expect(headers.referer).toBeUndefined();
  }
  // The page has a cookie to leak (the consent cookie): it was not sent.
  expect((await page.context().cookies()).some((c) => c.name === 'consentry_consent')).toBe(true);
  // A new page view counts again.
  await page.reload();
  await page.waitForLoadState('load');
  await openWidget(page);
  await widget(page).getByRole('button', { name: 'Seizure safe' }).click();
  await expect.poll(() => hits.filter((h) => h.path === COUNT_PATH).length).toBe(3);
});
