/**
 * The banner's built-in texts (English, Turkish). The banner shows them where
 * the site has no text of its own; the admin app shows them as placeholders
 * and in its preview. Written once, here.
 */
import type { BannerTexts } from './consent.ts';
import type { DisplayAdjustment, DisplayProfile } from './enums.ts';

/** The banner's links: where they lead is the site's (no built-in value), their labels are texts. */
export const TEXT_URL_KEYS = ['privacyPolicyUrl', 'cookiePolicyUrl'] as const;
export type TextUrlKey = (typeof TEXT_URL_KEYS)[number];
export const isUrlKey = (key: keyof BannerTexts): key is TextUrlKey => (TEXT_URL_KEYS as readonly string[]).includes(key);

/** Every text the banner shows, filled in; `alwaysOn` labels a required category, `display` the display-preferences opener. */
export type BuiltInTexts = Required<Omit<BannerTexts, TextUrlKey>> & { alwaysOn: string; display: string };

/** The display-preferences widget's name: its opener (in the banner) and its dialog (two bindings: the banner bundles English only). */
const DISPLAY_EN = 'Display preferences';
const DISPLAY_TR = 'Görüntü tercihleri';

/** The English built-in texts: the banner's fallback (the only built-in language it bundles). */
export const BUILT_IN_EN = {
    title: 'We value your privacy',
    description: 'We use cookies the site needs to work. With your permission we also use cookies to understand how the site is used and to show relevant ads. You can change your choice at any time in “Cookie settings”.',
    acceptAll: 'Accept all',
    rejectAll: 'Reject all',
    customize: 'Customize',
    save: 'Save choices',
    close: 'Close',
    settings: 'Cookie settings',
    privacyPolicyLabel: 'Privacy policy',
    cookiePolicyLabel: 'Cookie declaration',
    alwaysOn: 'Always on',
    display: DISPLAY_EN,
} as const satisfies BuiltInTexts;

export const BUILT_IN_TEXTS = {
  en: BUILT_IN_EN,
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
    cookiePolicyLabel: 'Çerez beyanı',
    alwaysOn: 'Her zaman açık',
    display: DISPLAY_TR,
  },
} as const satisfies Record<'en' | 'tr', BuiltInTexts>;

/** Languages with built-in texts. */
export type BuiltInLanguage = keyof typeof BUILT_IN_TEXTS;

/** Texts of the display-preferences widget. They describe what it does, never claim conformance of the site. */
export interface DisplayTexts {
  title: string;
  intro: string;
  profiles: string;
  adjustments: string;
  turnsOn: string;
  reset: string;
  close: string;
  profile: Record<DisplayProfile, string>;
  adjustment: Record<DisplayAdjustment, string>;
}

export const DISPLAY_TEXTS = {
  en: {
    title: DISPLAY_EN,
    intro: 'Change how this site looks to you. Your choices stay in this browser. When you pick a profile, the site counts that profile anonymously, with nothing that identifies you.',
    profiles: 'Profiles',
    adjustments: 'Adjustments',
    turnsOn: 'Turns on:',
    reset: 'Reset',
    close: 'Close',
    profile: {
      seizure_safe: 'Seizure safe',
      vision_impaired: 'Vision impaired',
      adhd_friendly: 'ADHD friendly',
      dyslexia_friendly: 'Dyslexia friendly',
      cognitive: 'Cognitive',
      keyboard_motor: 'Keyboard and motor',
    },
    adjustment: {
      text: 'Larger text',
      lines: 'Line spacing',
      letters: 'Letter spacing',
      font: 'Readable font',
      high: 'High contrast',
      dark: 'Dark contrast',
      light: 'Light contrast',
      saturation: 'Lower saturation',
      motion: 'Stop animations',
      links: 'Highlight links',
      focus: 'Strong focus outline',
      cursor: 'Big cursor',
      guide: 'Reading guide',
    },
  },
  tr: {
    title: DISPLAY_TR,
    intro: 'Bu sitenin size nasıl görüneceğini değiştirin. Seçimleriniz bu tarayıcıda kalır. Bir profil seçtiğinizde site, sizi tanıtacak hiçbir bilgi olmadan yalnızca o profili anonim olarak sayar.',
    profiles: 'Profiller',
    adjustments: 'Ayarlar',
    turnsOn: 'Açtıkları:',
    reset: 'Sıfırla',
    close: 'Kapat',
    profile: {
      seizure_safe: 'Nöbet açısından güvenli',
      vision_impaired: 'Görme güçlüğü',
      adhd_friendly: 'DEHB dostu',
      dyslexia_friendly: 'Disleksi dostu',
      cognitive: 'Bilişsel',
      keyboard_motor: 'Klavye ve motor',
    },
    adjustment: {
      text: 'Daha büyük yazı',
      lines: 'Satır aralığı',
      letters: 'Harf aralığı',
      font: 'Okunaklı yazı tipi',
      high: 'Yüksek kontrast',
      dark: 'Koyu kontrast',
      light: 'Açık kontrast',
      saturation: 'Düşük doygunluk',
      motion: 'Animasyonları durdur',
      links: 'Bağlantıları vurgula',
      focus: 'Belirgin odak çerçevesi',
      cursor: 'Büyük imleç',
      guide: 'Okuma kılavuzu',
    },
  },
} as const satisfies Record<'en' | 'tr', DisplayTexts>;
