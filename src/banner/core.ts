/** banner.js: the first layer, the preference centre, the choice and everything it sets off. */
import type { ConsentChoices, ConsentEventDetail, ConsentEventName, ConsentState } from './config.ts';
import {
  acceptAll, actionFor, changedKeys, initialSwitches, keyMap, lifetime, normalize, randomId, rejectAll,
  serializeConsent, toStored, wpConsentState,
} from './consent.ts';
import { CSS } from './css.ts';
import { DISPLAY_CSS, DISPLAY_JS } from './display/adjust.ts';
import { deletionCookies } from './patterns.ts';
import { post, pageUrl } from './record.ts';
import { release, watch } from './blocking.ts';
import type { HeadRuntime } from './runtime.ts';
import { debug } from './debug.ts';
import { categoryText, isRtl, pickLanguage, textsFor, type Texts } from './texts.ts';
import { CLICK, button, doc, h } from './dom.ts';

type Button = 'accept' | 'reject' | 'save';
export type Listener = (detail: ConsentEventDetail) => void;

const rt = window.__consentry as HeadRuntime;
const cfg = rt ? rt.cfg : {};
const site = cfg.config || {};
const categories = (cfg.categories || []).slice().sort((a, b) => a.sortOrder - b.sortOrder);
const gpc = navigator.globalPrivacyControl === true;
const listeners: Record<ConsentEventName, Listener[]> = { consent: [], change: [] };
const displayScript = cfg.endpoints?.displayScript;

let current: ConsentChoices | null = rt ? rt.g : null;
let lang = 'en';
let T: Texts;
let root: HTMLElement | undefined;
let banner: HTMLElement | undefined;
let overlay: HTMLElement | undefined;
let dialog: HTMLElement | undefined;
let fab: HTMLButtonElement | undefined;
let opener: HTMLElement | null = null;
const switches = keyMap<HTMLInputElement>();

const granted = (key: string): boolean => !!current?.[key];

const visible = (el: HTMLElement | undefined): el is HTMLElement => !!el && !el.hidden && el.isConnected;

/** The preference centre's switches. */
function picked(): ConsentChoices {
  const out = keyMap<boolean>();
  for (const k in switches) out[k] = switches[k]!.checked;
  return out;
}

/**
 * Accept all, Reject all, Customize/Save: same look, same size, same weight.
 * Under GPC, Accept all keeps a marketing category the visitor switched on
 * (in the open centre, or in an earlier choice) and leaves the others off.
 */
const buttons = (third: HTMLButtonElement): HTMLElement =>
  h('div', { class: 'cy-btns' },
    button(T.acceptAll, () => choose(acceptAll(categories, gpc, visible(overlay) ? picked() : current), 'accept')),
    button(T.rejectAll, () => choose(rejectAll(categories), 'reject')), third);

function updateFab(): void {
  if (fab) fab.hidden = !current || visible(banner) || visible(overlay);
}

export function state(): ConsentState | null {
  const s = rt?.s;
  return current && s ? { consentId: s.id, policyVersion: s.v, time: s.t, categories: { ...current } } : null;
}

function emit(name: ConsentEventName, detail: ConsentEventDetail): void {
  for (const cb of listeners[name]) {
    try {
      cb({ ...detail, categories: { ...detail.categories } });
    } catch {
      // one listener's error must not stop the others
    }
  }
  dispatchEvent(new CustomEvent('consentry:' + name, { detail }));
}

export function on(name: ConsentEventName, cb: Listener): () => void {
  listeners[name].push(cb);
  return () => {
    listeners[name] = listeners[name].filter((x) => x !== cb);
  };
}

function setCookie(assignment: string): void {
  doc.cookie = assignment;
}

/** Deletes the cookies the admin listed for every category now denied, here and on parent domains. */
function clearCookies(choices: ConsentChoices): void {
  const patterns = categories.filter((c) => !choices[c.key]).flatMap((c) => c.cookies || []);
  if (patterns.length) deletionCookies(doc.cookie, patterns, location.hostname).forEach(setCookie);
}

/** WP Consent API: its own setter when loaded, else the cookies `wp_has_consent()` reads. */
function applyWp(choices: ConsentChoices): void {
  const states = wpConsentState(categories, choices);
  for (const [wp, v] of Object.entries(states)) {
    if (window.wp_set_consent) window.wp_set_consent(wp, v);
    else setCookie(`wp_consent_${wp}=${v};path=/;max-age=${lifetime(site)};SameSite=Lax` + (site.cookieDomain ? ';domain=' + site.cookieDomain : ''));
  }
}

export function choose(choices: ConsentChoices, how: Button): void {
  if (!rt) return;
  choices = normalize(categories, choices);
  const previous = current;
  const action = actionFor(categories, previous, choices, how);
  debug('choice', action, choices);
  const stored = (rt.s = toStored(rt.s?.id || randomId(), site, choices, Math.floor(Date.now() / 1000)));
  setCookie(serializeConsent(stored, site, location.protocol === 'https:'));
  rt.g = current = choices;
  rt.u(choices);
  applyWp(choices);
  clearCookies(choices);
  release(granted);
  post(cfg.endpoints?.consent, {
    api_key: cfg.publicKey, consentId: stored.id, action, categories: choices,
    policyVersion: stored.v, language: lang, pageUrl: pageUrl(), gpc,
  });
  hide();
  hidePreferences();
  const detail: ConsentEventDetail = { ...state()!, action, gpc };
  emit('consent', detail);
  const changed = previous ? changedKeys(previous, choices) : [];
  if (changed.length) emit('change', { ...detail, changed });
}

/** A link the site set (an http(s) or site-relative URL only), else none. */
function siteLink(url: string | undefined, label: string): HTMLElement[] {
  return url && /^(https?:\/\/|\/)/.test(url) ? [h('a', { href: url }, label)] : [];
}

export function show(): void {
  if (!mount()) return;
  if (!banner) {
    banner = h('div', { class: `cy-b cy-${site.layout || 'bar'} cy-${site.position || 'bottom'}`, role: 'dialog', 'aria-labelledby': 'cy-t', 'aria-describedby': 'cy-d' },
      h('div', {}, h('h2', { id: 'cy-t' }, T.title), h('p', { id: 'cy-d' }, T.description, ' ', ...siteLink(T.privacyPolicyUrl, T.privacyPolicyLabel))),
      buttons(button(T.customize, showPreferences)));
    root!.append(banner);
  }
  banner.hidden = false;
  updateFab();
}

export function hide(): void {
  const had = !!banner?.contains(doc.activeElement);
  if (banner) banner.hidden = true;
  updateFab();
  // Keyboard focus must not fall back to the top of the page: the settings button takes it.
  if (had) fab?.focus();
}

export function showPreferences(): void {
  if (!mount()) return;
  if (!overlay) {
    const rows = categories.map((c) => {
      const [name, description] = categoryText(c, lang);
      const id = 'cy-c-' + c.key;
      const input = (switches[c.key] = h('input', { type: 'checkbox', role: 'switch', id, class: 'cy-sw', 'aria-describedby': id + '-d' }));
      input.disabled = c.isRequired;
      return h('div', { class: 'cy-cat' },
        h('div', { class: 'cy-row' }, h('label', { for: id }, name), c.isRequired ? h('span', {}, T.alwaysOn) : '', input),
        h('p', { id: id + '-d' }, description));
    });
    const save = button(T.save, () => choose(picked(), 'save'));
    dialog = h('div', { class: 'cy-pc', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'cy-pt', tabindex: '-1' },
      h('div', { class: 'cy-h' }, h('h2', { id: 'cy-pt' }, T.settings), button('×', hidePreferences, { class: 'cy-x', 'aria-label': T.close })),
      ...rows, ...siteLink(T.cookiePolicyUrl, T.cookiePolicyLabel).map((a) => h('p', { class: 'cy-cat' }, a)), buttons(save));
    overlay = h('div', { class: 'cy-ov', hidden: '' }, dialog);
    overlay.addEventListener('keydown', onKey);
    root!.append(overlay);
  }
  // No optional category is ticked before the visitor ticks it.
  const on = initialSwitches(categories, current);
  for (const k in switches) switches[k]!.checked = !!on[k];
  if (overlay.hidden) opener = doc.activeElement as HTMLElement | null;
  overlay.hidden = false;
  updateFab();
  dialog!.focus();
}

export function hidePreferences(): void {
  if (!visible(overlay)) return;
  overlay.hidden = true;
  updateFab();
  // Focus goes back where it came from, or to the settings button when that is gone.
  const back = opener && opener.isConnected && opener.getClientRects().length ? opener : fab && !fab.hidden ? fab : null;
  back?.focus();
  opener = null;
}

/** Escape closes; Tab and Shift+Tab stay inside the dialog. */
function onKey(e: KeyboardEvent): void {
  if (e.key === 'Escape') {
    e.preventDefault();
    hidePreferences();
  } else if (e.key === 'Tab') {
    const f = dialog!.querySelectorAll<HTMLElement>('button,input:not(:disabled),a[href]');
    const first = f[0]!;
    const last = f[f.length - 1]!;
    const active = doc.activeElement;
    if (e.shiftKey ? active === first || active === dialog : active === last) {
      e.preventDefault();
      (e.shiftKey ? last : first).focus();
    }
  }
}

/** The root element and the styles, created on first need (returning visitors never pay for the layers). */
function mount(): boolean {
  if (!rt || !doc.body) return false;
  if (!root) {
    doc.head.append(h('style', { id: 'consentry-css' }, CSS));
    lang = pickLanguage(doc.documentElement.lang || '', site, cfg.builtInTexts);
    T = textsFor(lang, site, cfg.builtInTexts);
    // First in the body so that keyboard users reach it first; it is fixed, so nothing moves.
    root = h('div', { id: 'consentry', class: 'cy', lang, dir: isRtl(lang) ? 'rtl' : 'ltr' });
    const c = site.colors || {};
    const vars: Array<[string, string | undefined]> = [['bg', c.background], ['fg', c.text], ['pr', c.primary], ['pt', c.primaryText]];
    for (const [k, v] of vars) if (v) root.style.setProperty('--cy-' + k, v);
    doc.body.prepend(root);
    if (site.floatingButton !== false) {
      fab = button('', showPreferences, { class: 'cy-fb', 'aria-label': T.settings, title: T.settings });
      fab.innerHTML = ICON + FAB_ICON;
      root.append(fab);
    }
    const dp = site.displayPreferences;
    if (dp?.enabled && displayScript) {
      // The display-preferences opener: fixed (nothing moves), its widget fetched on the first click.
      const b = button('', () => openDisplay(b), { class: 'cy-fb cy-dp-' + dp.position, 'aria-label': T.display, title: T.display });
      b.innerHTML = ICON + DISPLAY_ICON;
      root.append(b);
      // Saved preferences (head.js applied their stylesheet): the widget does the rest.
      if (doc.getElementById(DISPLAY_CSS)) loadDisplay();
    }
  }
  return true;
}

/** display.js, added once. */
const loadDisplay = (): HTMLElement =>
  doc.getElementById(DISPLAY_JS) || doc.head.appendChild(h('script', { id: DISPLAY_JS, src: displayScript! }));

/** Opens the display-preferences widget, once display.js is there. */
function openDisplay(b: HTMLElement): void {
  const D = window.ConsentryDisplay;
  if (D) D.open(b);
  else loadDisplay().addEventListener('load', () => openDisplay(b));
}

const ICON = '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="currentColor"><path d="';
const FAB_ICON = 'M12 2a10 10 0 1 0 10 10 4 4 0 0 1-5-5 4 4 0 0 1-5-5Zm-4 7a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm1 6a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm6 0a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Z"/></svg>';
/** A contrast disc. */
const DISPLAY_ICON = 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 2v16a8 8 0 0 1 0-16Z"/></svg>';

function heartbeat(): void {
  const K = 'consentry_sid';
  let sid: string;
  try {
    sid = sessionStorage.getItem(K) || randomId();
    sessionStorage.setItem(K, sid);
  } catch {
    sid = randomId();
  }
  post(cfg.endpoints?.heartbeat, { api_key: cfg.publicKey, session_id: sid, page_url: pageUrl(), referrer: doc.referrer.slice(0, 2048) || undefined });
}

export function boot(): void {
  if (!rt) return;
  lang = pickLanguage(doc.documentElement.lang || '', site, cfg.builtInTexts);
  doc.addEventListener(CLICK, (e) => {
    const t = (e.target as Element).closest?.('[data-consentry-open]');
    if (t) {
      e.preventDefault();
      showPreferences();
    }
  });
  watch(granted);
  if (current) {
    mount();
    release(granted);
    // Cookies of denied categories that a script re-created go again on every page.
    clearCookies(current);
    emit('consent', { ...state()!, gpc });
  } else {
    show();
  }
  updateFab();
  heartbeat();
}
