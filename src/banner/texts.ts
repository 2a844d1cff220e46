/** Built-in texts (English, Turkish), admin overrides per language, and the page's language. */
import { BUILT_IN_TEXTS } from '#shared/texts.ts';
import type { BannerCategory, BannerSiteConfig, BannerTexts } from './config.ts';

export type Texts = Required<Omit<BannerTexts, 'privacyPolicyUrl'>> & { privacyPolicyUrl?: string; alwaysOn: string; display: string };

const EN: Texts = BUILT_IN_TEXTS.en;
const BUILT_IN: Record<string, Partial<Texts>> = BUILT_IN_TEXTS;

/** The language to show: the page's primary tag when texts exist for it, else the site's default. */
export function pickLanguage(htmlLang: string, config: BannerSiteConfig): string {
  const l = htmlLang.toLowerCase().split(/[-_]/)[0] || '';
  return l && (BUILT_IN[l] || config.texts?.[l]) ? l : (config.defaultLanguage || 'en').toLowerCase();
}

/** English, then the built-in language, then the admin's non-empty texts for it. */
export function textsFor(lang: string, config: BannerSiteConfig): Texts {
  const out: Texts = { ...EN, ...BUILT_IN[lang] };
  const admin = config.texts?.[lang] || {};
  for (const k in admin) {
    const v = admin[k as keyof BannerTexts];
    if (v) (out as Record<string, string>)[k] = v;
  }
  return out;
}

export { isRtl } from './rtl.ts';

/** A category's name and description in a language, English when missing. */
export function categoryText(c: BannerCategory, lang: string): [string, string] {
  const t = c.translations?.[lang];
  return [t?.name || c.nameEn, t?.description || c.descriptionEn];
}
