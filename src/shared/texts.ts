/**
 * The banner's built-in texts (English, Turkish). The banner shows them where
 * the site has no text of its own; the admin app shows them as placeholders
 * and in its preview. Written once, here.
 */
import type { BannerTexts } from './consent.ts';

/** Every text the banner shows, filled in; `alwaysOn` labels a required category. */
export type BuiltInTexts = Required<Omit<BannerTexts, 'privacyPolicyUrl'>> & { alwaysOn: string };

export const BUILT_IN_TEXTS = {
  en: {
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
  },
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
} as const satisfies Record<'en' | 'tr', BuiltInTexts>;

/** Languages with built-in texts. */
export type BuiltInLanguage = keyof typeof BUILT_IN_TEXTS;
