/**
 * Built-in texts, admin overrides per language, and the page's language. The bundle holds English only; the
 * plugin prints the built-in texts of the other languages the page may need (`BannerBootConfig.builtInTexts`).
 */
import { BUILT_IN_EN, type BuiltInTexts, type TextUrlKey } from '#shared/texts.ts';
import type { BannerCategory, BannerSiteConfig, BannerTexts } from './config.ts';

export type Texts = BuiltInTexts & Pick<BannerTexts, TextUrlKey>;

/** Built-in texts by language, other than English. */
export type BuiltIn = Record<string, Partial<BuiltInTexts>>;

/** The language to show: the page's primary tag when texts exist for it, else the site's default. */
export function pickLanguage(htmlLang: string, config: BannerSiteConfig, builtIn: BuiltIn = {}): string {
  const l = htmlLang.toLowerCase().split(/[-_]/)[0] || '';
  return l && (l == 'en' || builtIn[l] || config.texts?.[l]) ? l : (config.defaultLanguage || 'en').toLowerCase();
}

/** English, then the built-in language, then the admin's non-empty texts for it. */
export function textsFor(lang: string, config: BannerSiteConfig, builtIn: BuiltIn = {}): Texts {
  const out: Texts = { ...BUILT_IN_EN, ...builtIn[lang] };
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
