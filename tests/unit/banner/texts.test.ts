import { describe, expect, it } from 'vitest';
import { categoryText, isRtl, pickLanguage, textsFor } from '../../../src/banner/texts.ts';
import { BUILT_IN_TEXTS } from '../../../src/shared/texts.ts';
import { cat } from './helpers.ts';

/** What the plugin prints for a Turkish page (the bundle holds English only). */
const TR = { tr: BUILT_IN_TEXTS.tr };

describe('language and texts', () => {
  it('takes the page language when texts exist for it, else the site default', () => {
    expect(pickLanguage('tr-TR', {}, TR)).toBe('tr');
    expect(pickLanguage('tr-TR', {})).toBe('en');
    expect(pickLanguage('EN_gb', {})).toBe('en');
    expect(pickLanguage('de-DE', {})).toBe('en');
    expect(pickLanguage('de-DE', { texts: { de: { title: 'Datenschutz' } } })).toBe('de');
    expect(pickLanguage('fr', { defaultLanguage: 'tr' })).toBe('tr');
    expect(pickLanguage('', {})).toBe('en');
  });

  it('layers English, the built-in language and the admin texts (empty admin texts do not blank)', () => {
    expect(textsFor('en', {}).acceptAll).toBe('Accept all');
    expect(textsFor('tr', {}, TR).rejectAll).toBe('Tümünü reddet');
    const t = textsFor('tr', { texts: { tr: { title: 'Çerezler', description: '' } } }, TR);
    expect(t.title).toBe('Çerezler');
    expect(t.description).toContain('çerez');
    expect(textsFor('tr', { texts: { tr: { title: 'Çerezler' } } })).toMatchObject({ title: 'Çerezler', acceptAll: 'Accept all' });
    expect(textsFor('de', { texts: { de: { acceptAll: 'Alle akzeptieren' } } })).toMatchObject({ acceptAll: 'Alle akzeptieren', rejectAll: 'Reject all' });
  });

  it('lays right-to-left languages out right to left', () => {
    for (const l of ['ar', 'he', 'fa', 'ur']) expect(isRtl(l)).toBe(true);
    expect(isRtl('tr')).toBe(false);
  });

  it('names categories in the language, English when missing', () => {
    const c = cat('analytics', { nameEn: 'Analytics', descriptionEn: 'Stats', translations: { tr: { name: 'Analitik' } } });
    expect(categoryText(c, 'tr')).toEqual(['Analitik', 'Stats']);
    expect(categoryText(c, 'en')).toEqual(['Analytics', 'Stats']);
  });
});
