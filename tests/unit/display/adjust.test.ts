import { describe, expect, it } from 'vitest';
import { DISPLAY_ADJUSTMENTS, DISPLAY_PROFILES } from '../../../src/shared/enums.ts';
import { DISPLAY_TEXTS } from '../../../src/shared/texts.ts';
import {
  CONTRAST_MODES, PRESETS, initialState, parseSaved, pick, stylesheet, toggle, type DisplayState,
} from '../../../src/banner/display/adjust.ts';

describe('display preferences: state', () => {
  it('a profile is exactly its preset; picking it again turns everything off', () => {
    for (const p of DISPLAY_PROFILES) {
      const s = pick({ a: ['cursor'] }, p);
      expect(s).toEqual({ p, a: PRESETS[p] });
      expect(pick(s, p)).toEqual({ a: [] });
    }
  });

  it('presets are listed in the order the adjustments are shown, each at most one contrast mode', () => {
    for (const p of DISPLAY_PROFILES) {
      const a = PRESETS[p];
      expect(a).toEqual(DISPLAY_ADJUSTMENTS.filter((x) => a.includes(x)));
      expect(a.filter((x) => CONTRAST_MODES.includes(x)).length).toBeLessThanOrEqual(1);
    }
  });

  it('a toggle changes one adjustment, leaves the profile, and contrast modes exclude each other', () => {
    const s = pick({ a: [] }, 'vision_impaired');
    const t = toggle(s, 'cursor');
    expect(t.p).toBeUndefined();
    expect(t.a).toEqual(['text', 'high', 'links', 'focus']);
    expect(toggle(t, 'dark').a).toEqual(['text', 'dark', 'links', 'focus']);
    expect(toggle(toggle(t, 'cursor'), 'motion').a).toEqual(['text', 'high', 'motion', 'links', 'focus', 'cursor']);
  });

  it('starts from the system preferences', () => {
    expect(initialState(false, false)).toEqual({ a: [] });
    expect(initialState(true, false)).toEqual({ a: ['motion'] });
    expect(initialState(true, true)).toEqual({ a: ['high', 'motion'] });
  });

  it('reads back what it saved, and nothing else', () => {
    const s: DisplayState = { p: 'dyslexia_friendly', a: ['lines', 'letters', 'font'] };
    expect(parseSaved(JSON.stringify({ ...s, css: stylesheet(s) }))).toEqual(s);
    expect(parseSaved(null)).toBeNull();
    expect(parseSaved('not json')).toBeNull();
    expect(parseSaved('{"a":"text"}')).toBeNull();
    expect(parseSaved('{"p":"nope","a":["text","evil","dark","high"]}')).toEqual({ a: ['text', 'dark'] });
  });
});

describe('display preferences: stylesheet', () => {
  it('nothing on is no stylesheet', () => {
    expect(stylesheet({ a: [] })).toBe('');
  });

  it('every rule is presentation only, in relative units, and spares Consentry\'s own UI', () => {
    for (const a of DISPLAY_ADJUSTMENTS) {
      const css = stylesheet({ a: [a] });
      expect(css, a).not.toMatch(/content\s*:|\b\d+px\b/);
      if (/body \*/.test(css)) expect(css, a).toContain(':not(#consentry,#consentry *,.cyd,.cyd *)');
    }
  });

  it('larger text scales the page\'s own root size', () => {
    expect(stylesheet({ a: ['text'] })).toBe('html{font-size:125%!important}');
    expect(stylesheet({ a: ['text'] }, 62.5)).toBe('html{font-size:78.13%!important}');
  });

  it('links come after the contrast modes (their highlight wins)', () => {
    const css = stylesheet({ a: ['high', 'links'] });
    expect(css.indexOf('#ffeb3b!important;color:#000')).toBeGreaterThan(css.indexOf('background-color:#000'));
  });
});

describe('display preferences: texts', () => {
  it('name every profile and adjustment in English and Turkish, and claim no conformance', () => {
    for (const lang of ['en', 'tr'] as const) {
      const T = DISPLAY_TEXTS[lang];
      for (const p of DISPLAY_PROFILES) expect(T.profile[p]).toBeTruthy();
      for (const a of DISPLAY_ADJUSTMENTS) expect(T.adjustment[a]).toBeTruthy();
      expect(JSON.stringify(T)).not.toMatch(/complian|conform|\bADA\b|WCAG|uyumlu|guarantee|garanti/i);
    }
  });
});
