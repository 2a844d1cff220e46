/**
 * display.js: the display-preferences widget, a separate bundle the banner's
 * opener loads on the first click (and head.js on pages where the visitor has
 * saved preferences, for the parts a stylesheet cannot do: the reading guide,
 * pausing autoplaying media). Presentation only and only on request: it adds
 * one stylesheet and, for the reading guide, one element of its own; it never
 * touches the page's text, ARIA, roles or focus order.
 * `window.ConsentryDisplay.open(opener)` opens the dialog.
 */
import { DISPLAY_ADJUSTMENTS, DISPLAY_PROFILES, type DisplayAdjustment, type DisplayProfile } from '#shared/enums.ts';
import { DISPLAY_TEXTS } from '#shared/texts.ts';
import type { DisplayUsageCount } from '#shared/consent.ts';
import type { HeadRuntime } from '../runtime.ts';
import { isRtl } from '../rtl.ts';
import {
  DISPLAY_CSS, DISPLAY_STORAGE_KEY, PRESETS, initialState, parseSaved, pick, stylesheet, toggle,
  type DisplayState, type SavedDisplay,
} from './adjust.ts';
import { UI_CSS } from './css.ts';
import { CLICK, button, doc, h } from '../dom.ts';

const html = doc.documentElement;
const PRESSED = 'aria-pressed';
const rt = window.__consentry as HeadRuntime | undefined;
const cfg = rt ? rt.cfg : {};
const site = cfg.config || {};
const offered = DISPLAY_PROFILES.filter((p) => (site.displayPreferences?.profiles ?? DISPLAY_PROFILES).includes(p));

let state: DisplayState = { a: [] };
/** Whether the state is the visitor's (saved, or changed on this page) rather than the system's starting point. */
let chosen = false;
/** The page's own root font size in percent of the browser's default, measured once before any change. */
let root = 0;
let sheet: HTMLStyleElement | undefined;
let dialog: HTMLDialogElement | undefined;
let guide: HTMLElement | undefined;
let opener: HTMLElement | null = null;
const profileButtons: Partial<Record<DisplayProfile, HTMLButtonElement>> = {};
const adjustmentButtons: Partial<Record<DisplayAdjustment, HTMLButtonElement>> = {};
/** Profiles counted on this page view: each at most once. */
const counted = new Set<DisplayProfile>();

/** The page's language when we have texts for it, else the site's default, else English. */
function language(): keyof typeof DISPLAY_TEXTS {
  const languages = Object.keys(DISPLAY_TEXTS);
  for (const l of [html.lang, site.defaultLanguage]) {
    const primary = (l || '').toLowerCase().split(/[-_]/)[0]!;
    if (languages.includes(primary)) return primary as keyof typeof DISPLAY_TEXTS;
  }
  return 'en';
}

/** The page's own root font size as a percentage of the browser's default (the text size scales from it). */
function rootPercent(): number {
  const probe = h('i', { style: 'position:absolute;font-size:medium' });
  const was = sheet!.disabled;
  sheet!.disabled = true;
  doc.body.append(probe);
  const r = (parseFloat(getComputedStyle(html).fontSize) / parseFloat(getComputedStyle(probe).fontSize)) * 100;
  probe.remove();
  sheet!.disabled = was;
  return r > 0 && isFinite(r) ? r : 100;
}

/** Applies a state: its stylesheet (head.js's copy is taken over), the guide, media; saves it when the visitor chose it. */
function apply(next: DisplayState, save: boolean): void {
  state = next;
  sheet ||= (doc.getElementById(DISPLAY_CSS) as HTMLStyleElement | null) || h('style', { id: DISPLAY_CSS });
  root ||= rootPercent();
  const css = stylesheet(next, root);
  sheet.textContent = css;
  // Last in <head>: after the page's own stylesheets.
  doc.head.append(sheet);
  const on = new Set(next.a);
  setGuide(on.has('guide'));
  if (on.has('motion')) pauseMedia();
  else removeEventListener('play', onPlay, true);
  if (save) {
    chosen = true;
    try {
      if (next.a.length) localStorage.setItem(DISPLAY_STORAGE_KEY, JSON.stringify({ ...next, css } satisfies SavedDisplay));
      else localStorage.removeItem(DISPLAY_STORAGE_KEY);
    } catch {
      // Storage refused (private mode, quota): the choice holds for this page only.
    }
  }
  for (const p of offered) profileButtons[p]?.setAttribute(PRESSED, String(next.p === p));
  for (const a of DISPLAY_ADJUSTMENTS) adjustmentButtons[a]?.setAttribute(PRESSED, String(on.has(a)));
}

/** Autoplaying media paused once each: the visitor can start them again with the page's own controls. */
const paused = new WeakSet<HTMLMediaElement>();
function pauseOnce(m: HTMLMediaElement): void {
  if (m.autoplay && !paused.has(m) && state.a.includes('motion')) {
    paused.add(m);
    m.pause();
  }
}
const onPlay = (e: Event): void => pauseOnce(e.target as HTMLMediaElement);

/** Autoplaying video and audio stop, now and when they start later (once each). */
function pauseMedia(): void {
  doc.querySelectorAll<HTMLMediaElement>('video[autoplay],audio[autoplay]').forEach(pauseOnce);
  // `play` does not bubble: caught on the way down.
  addEventListener('play', onPlay, true);
}

function moveGuide(y: number): void {
  if (guide) guide.style.transform = `translateY(${Math.round(y)}px)`;
}
const onPointer = (e: PointerEvent): void => moveGuide(e.clientY);
const onFocus = (e: FocusEvent): void => {
  const r = (e.target as Element).getBoundingClientRect?.();
  if (r) moveGuide(r.top + r.height / 2);
};

/** The reading guide: a band that follows the pointer (and keyboard focus); hidden from assistive technology. */
function setGuide(on: boolean): void {
  if (on && !guide) {
    ui();
    guide = h('div', { class: 'cyd-g', 'aria-hidden': 'true' });
    doc.body.append(guide);
    addEventListener('pointermove', onPointer, { passive: true });
    addEventListener('focusin', onFocus);
  } else if (!on && guide) {
    guide.remove();
    guide = undefined;
    removeEventListener('pointermove', onPointer);
    removeEventListener('focusin', onFocus);
  }
}

/**
 * One anonymous count of a picked profile: `{ profile }` and nothing else (the URL names the site); nothing that
 * could tell visitors apart (no cookie, no consent or session id, no page address, no referrer).
 */
function count(profile: DisplayProfile): void {
  const url = cfg.endpoints?.displayUsage;
  if (!url || counted.has(profile)) return;
  counted.add(profile);
  fetch(url, {
    method: 'POST', body: JSON.stringify({ profile } satisfies DisplayUsageCount), headers: { 'Content-Type': 'application/json' },
    credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store', keepalive: true,
  }).catch(() => {});
}

let uiDone = false;
function ui(): void {
  if (!uiDone) doc.head.append(h('style', { id: 'consentry-display-ui' }, UI_CSS));
  uiDone = true;
}

function build(): HTMLDialogElement {
  ui();
  const lang = language();
  const T = DISPLAY_TEXTS[lang];
  const list = (items: HTMLElement[]) => h('ul', {}, ...items.map((el) => h('li', {}, el)));
  const profiles = offered.map((p) => {
    const id = 'cyd-p-' + p;
    const b = (profileButtons[p] = button(T.profile[p], () => {
      const next = pick(state, p);
      apply(next, true);
      if (next.p) count(p);
    }, { [PRESSED]: 'false', 'aria-describedby': id }));
    return h('div', {}, b, h('span', { id, class: 'cyd-d' }, `${T.turnsOn} ${PRESETS[p].map((a) => T.adjustment[a]).join(', ')}`));
  });
  const adjustments = DISPLAY_ADJUSTMENTS.map((a) =>
    (adjustmentButtons[a] = button(T.adjustment[a], () => apply(toggle(state, a), true), { [PRESSED]: 'false' })));
  const d = h('dialog', { class: 'cyd', id: 'consentry-display', 'aria-labelledby': 'cyd-t', lang, dir: isRtl(lang) ? 'rtl' : 'ltr' },
    h('div', {},
      h('div', { class: 'cyd-h' }, h('h2', { id: 'cyd-t' }, T.title), button('×', () => d.close(), { class: 'cyd-x', 'aria-label': T.close })),
      h('p', {}, T.intro),
      ...(profiles.length ? [h('h3', {}, T.profiles), list(profiles)] : []),
      h('h3', {}, T.adjustments), list(adjustments),
      button(T.reset, () => apply({ a: [] }, true), { class: 'cyd-r' })));
  // Escape closes (the dialog's own cancel); focus goes back to what opened it.
  d.addEventListener('close', () => {
    if (opener?.isConnected) opener.focus();
    opener = null;
  });
  // Tab and Shift+Tab go round inside the dialog (not out to the browser's own controls).
  d.addEventListener('keydown', (e) => {
    const f = d.querySelectorAll('button');
    const edge = e.shiftKey ? f[0] : f[f.length - 1];
    if (e.key === 'Tab' && doc.activeElement === edge) {
      e.preventDefault();
      (e.shiftKey ? f[f.length - 1] : f[0])!.focus();
    }
  });
  // A click on the backdrop (the dialog box itself, outside its content) closes too.
  d.addEventListener(CLICK, (e) => {
    if (e.target === d) d.close();
  });
  doc.body.append(d);
  return d;
}

/** Opens the dialog; `from` gets focus back when it closes. Nothing saved yet: it starts from the system's preferences. */
export function open(from?: HTMLElement | null): void {
  if (!doc.body) return;
  dialog ||= build();
  if (dialog.open) return;
  opener = from || (doc.activeElement as HTMLElement | null);
  apply(chosen ? state : initialState(matchMedia('(prefers-reduced-motion: reduce)').matches, matchMedia('(prefers-contrast: more)').matches), false);
  dialog.showModal();
}

/** Closes the dialog (focus returns to the opener). */
export function close(): void {
  dialog?.close();
}

/** Removes every adjustment and the saved preferences: the page as it was. */
export function reset(): void {
  apply({ a: [] }, true);
}

function start(): void {
  let saved: DisplayState | null = null;
  try {
    saved = parseSaved(localStorage.getItem(DISPLAY_STORAGE_KEY));
  } catch {
    // no storage: nothing saved
  }
  // Saved preferences: applied again from this version's rules (head.js applied the stored copy already).
  if (saved && site.displayPreferences?.enabled) {
    chosen = true;
    apply(saved, false);
  }
}

// head.js may load this file before the body exists: the page's root size is measured once it does.
if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
else start();
