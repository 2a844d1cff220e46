/**
 * The display preferences as data: the state a visitor builds (adjustments,
 * and the profile they started from), the profiles' presets, the stylesheet a
 * state means, and its saved form. No DOM: unit-tested as is.
 */
import { DISPLAY_ADJUSTMENTS, DISPLAY_PROFILES, type DisplayAdjustment, type DisplayProfile } from '#shared/enums.ts';

/** The one localStorage key (a functional item of Consentry's own, listed in the cookie declaration). */
export const DISPLAY_STORAGE_KEY = 'consentry_display';
/** Ids of the stylesheet of the adjustments (head.js adds it for saved preferences) and of display.js's script tag. */
export const DISPLAY_CSS = 'consentry-display-css';
export const DISPLAY_JS = 'consentry-display-js';

/** The contrast modes: at most one is on. */
export const CONTRAST_MODES: readonly DisplayAdjustment[] = ['high', 'dark', 'light'];

/** What each profile turns on. The visitor sees this list and can change any of it. */
export const PRESETS: Record<DisplayProfile, DisplayAdjustment[]> = {
  seizure_safe: ['saturation', 'motion'],
  vision_impaired: ['text', 'high', 'links', 'focus', 'cursor'],
  adhd_friendly: ['saturation', 'motion', 'guide'],
  dyslexia_friendly: ['lines', 'letters', 'font'],
  cognitive: ['lines', 'motion', 'links', 'guide'],
  keyboard_motor: ['links', 'focus', 'cursor'],
};

export interface DisplayState {
  /** The profile picked last, while its adjustments are unchanged. */
  p?: DisplayProfile;
  /** Adjustments on, in DISPLAY_ADJUSTMENTS order. */
  a: DisplayAdjustment[];
}

/** The saved form: the state and its stylesheet, which head.js applies before the first paint. */
export interface SavedDisplay extends DisplayState {
  css: string;
}

const ordered = (a: Iterable<DisplayAdjustment>): DisplayAdjustment[] => {
  const on = new Set(a);
  return DISPLAY_ADJUSTMENTS.filter((x) => on.has(x));
};

/** Turns one adjustment on or off (a contrast mode turns the others off); the state no longer is a profile. */
export function toggle(state: DisplayState, adjustment: DisplayAdjustment): DisplayState {
  const on = new Set(state.a);
  if (on.has(adjustment)) on.delete(adjustment);
  else {
    if (CONTRAST_MODES.includes(adjustment)) for (const m of CONTRAST_MODES) on.delete(m);
    on.add(adjustment);
  }
  return { a: ordered(on) };
}

/** Picks a profile: exactly its preset; picking the profile that is on turns everything off. */
export function pick(state: DisplayState, profile: DisplayProfile): DisplayState {
  return state.p === profile ? { a: [] } : { p: profile, a: ordered(PRESETS[profile]) };
}

/** Where the widget starts when nothing is saved: the visitor's own system preferences. */
export function initialState(reduceMotion: boolean, moreContrast: boolean): DisplayState {
  return { a: ordered([...(reduceMotion ? ['motion' as const] : []), ...(moreContrast ? ['high' as const] : [])]) };
}

/** The saved state, or null when there is none or it is not ours. */
export function parseSaved(text: string | null): DisplayState | null {
  let v: unknown;
  try {
    v = JSON.parse(text || 'null');
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object' || !Array.isArray((v as DisplayState).a)) return null;
  const { p, a } = v as DisplayState;
  const known = a.filter((x): x is DisplayAdjustment => (DISPLAY_ADJUSTMENTS as readonly unknown[]).includes(x));
  const contrast = known.filter((x) => CONTRAST_MODES.includes(x));
  const state: DisplayState = { a: ordered(known.filter((x) => !contrast.slice(1).includes(x))) };
  if ((DISPLAY_PROFILES as readonly unknown[]).includes(p)) state.p = p;
  return state;
}

/** Our own UI keeps its own look: the banner's root and the widget's. */
const OWN = ':not(#consentry,#consentry *,.cyd,.cyd *)';
const PAGE = 'body *' + OWN;
const MEDIA = ':not(img,video,canvas,picture,iframe,svg,svg *)';
const FONT = 'Verdana,"Segoe UI",system-ui,-apple-system,Roboto,Arial,sans-serif';
const IMPORTANT = '!important';

function contrast(bg: string, fg: string, link: string): string {
  return `html,body{background-color:${bg}${IMPORTANT};color:${fg}${IMPORTANT}}` +
    `${PAGE}${MEDIA}{background-color:${bg}${IMPORTANT};color:${fg}${IMPORTANT};border-color:${fg}${IMPORTANT}}` +
    `body a[href]${OWN},body a[href]${OWN} *{color:${link}${IMPORTANT}}`;
}

/** The cursor: a 48 px arrow, dark with a light edge (readable on any background). */
const CURSOR = `url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='48' height='48' viewBox='0 0 24 24'%3E%3Cpath d='M4 2l15 11-7 1 4 7-3 2-4-8-5 5z' fill='%23000' stroke='%23fff' stroke-width='1.5' stroke-linejoin='round'/%3E%3C/svg%3E") 6 3,auto`;

/**
 * The rule of each adjustment. Everything in relative units (browser zoom keeps working) and `!important`
 * (the page's own rules must not undo a choice). Presentation only: no content, role or focus order changes.
 * `rootPercent` is the page's own root font size as a percentage of the browser's default.
 */
const RULES: Record<DisplayAdjustment, (rootPercent: number) => string> = {
  text: (r) => `html{font-size:${Math.round(r * 1.25 * 100) / 100}%${IMPORTANT}}`,
  // WCAG 1.4.12's text-spacing values, and more line height.
  lines: () => `${PAGE}{line-height:1.8${IMPORTANT}}body p${OWN}{margin-block-end:2em${IMPORTANT}}`,
  letters: () => `${PAGE}{letter-spacing:.12em${IMPORTANT};word-spacing:.16em${IMPORTANT}}`,
  // Icon fonts and code keep their faces.
  font: () => `${PAGE}:not(i,code,pre,kbd,samp,svg *,[class*=icon],[class*=fa-],.dashicons){font-family:${FONT}${IMPORTANT}}`,
  high: () => contrast('#000', '#fff', '#ffeb3b'),
  dark: () => contrast('#1e1e1e', '#e6e6e6', '#8ab4f8'),
  light: () => contrast('#fff', '#1a1a1a', '#0b4fb3'),
  // The root element's filter does not make it the containing block of fixed elements.
  saturation: () => `html{filter:saturate(.35)${IMPORTANT}}`,
  motion: () => `*,*::before,*::after{animation-duration:0s${IMPORTANT};animation-delay:0s${IMPORTANT};animation-iteration-count:1${IMPORTANT};transition-duration:0s${IMPORTANT};transition-delay:0s${IMPORTANT};scroll-behavior:auto${IMPORTANT}}`,
  links: () => `body a[href]${OWN}{text-decoration:underline${IMPORTANT};text-decoration-thickness:.125em${IMPORTANT};text-underline-offset:.2em${IMPORTANT};background-color:#ffeb3b${IMPORTANT};color:#000${IMPORTANT}}`,
  // A blue outline in a white ring: visible on light and dark backgrounds.
  focus: () => `:focus-visible{outline:.1875em solid #1d4ed8${IMPORTANT};outline-offset:.125em${IMPORTANT};box-shadow:0 0 0 .4375em #fff${IMPORTANT}}`,
  cursor: () => `html,html *{cursor:${CURSOR}${IMPORTANT}}`,
  // The guide itself is the widget's element; it needs no page rule.
  guide: () => '',
};

/** The stylesheet of a state ('' when nothing is on). */
export function stylesheet(state: DisplayState, rootPercent = 100): string {
  return state.a.map((a) => RULES[a](rootPercent)).join('');
}
