/** Built-in texts (English, Turkish), admin overrides per language, and the page's language. */
import type { BannerCategory, BannerSiteConfig, BannerTexts } from './config.ts';

export type Texts = Required<Omit<BannerTexts, 'privacyPolicyUrl'>> & { privacyPolicyUrl?: string; alwaysOn: string };

const EN: Texts = {
  title: 'We value your privacy',
  description: 'We use cookies the site needs to work. With your permission we also use cookies to understand how the site is used and to show relevant ads. You can change your choice at any time in “Cookie settings”.',
  acceptAll: 'Accept all',
  rejectAll: 'Reject all',
  customize: 'Customize',
  save: 'Save choices',
  close: 'Close',
  settings: 'Cookie settings',
  privacyPolicyLabel: 'Privacy policy',
  alwaysOn: 'Always on',
};

const BUILT_IN: Record<string, Partial<Texts>> = {
  en: EN,
  tr: {
    title: 'Gizliliğinize önem veriyoruz',
    description: 'Sitenin çalışması için gereken çerezleri kullanıyoruz. İzninizle, sitenin nasıl kullanıldığını anlamak ve ilgili reklamlar göstermek için başka çerezler de kullanırız. Seçiminizi istediğiniz zaman “Çerez ayarları” bölümünden değiştirebilirsiniz.',
    acceptAll: 'Tümünü kabul et',
    rejectAll: 'Tümünü reddet',
    customize: 'Özelleştir',
    save: 'Seçimleri kaydet',
    close: 'Kapat',
    settings: 'Çerez ayarları',
    privacyPolicyLabel: 'Gizlilik politikası',
    alwaysOn: 'Her zaman açık',
  },
};

const RTL = ['ar', 'he', 'fa', 'ur'];

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

export const isRtl = (lang: string): boolean => RTL.includes(lang);

/** A category's name and description in a language, English when missing. */
export function categoryText(c: BannerCategory, lang: string): [string, string] {
  const t = c.translations?.[lang];
  return [t?.name || c.nameEn, t?.description || c.descriptionEn];
}
