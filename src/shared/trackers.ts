/**
 * The one catalogue of well-known trackers. It feeds the banner's built-in
 * URL patterns (src/banner/trackers.ts), the plugin's server-side blocking
 * rules (plugin/includes/generated/class-tracker-catalogue.php), both written
 * by scripts/build/facts.ts, and the cookies of the categories every new site
 * starts with. No run-time import: the banner and the admin app may import it.
 */
import type { WpConsentCategory } from './consent.ts';

/** The WP Consent API categories trackers fall in. */
export type TrackerCategory = Extract<WpConsentCategory, 'statistics' | 'marketing'>;

export interface Tracker {
  /** Stable id; the server-side rule's id. */
  id: string;
  vendor: string;
  category: TrackerCategory;
  /** Lower-case substrings of the URLs of its scripts and iframes (matched case-insensitively). */
  urls: readonly string[];
  /** Substrings of the inline scripts that load it; only the server can block those before they run. */
  inline?: readonly string[];
  /** Cookies it sets (a trailing `*` matches a prefix), deleted when its category is revoked. */
  cookies?: readonly string[];
}

/**
 * Key of the category a new site has for each tracker category: where a
 * site has no category mapped to a tracker's, its tags go under this key.
 */
export const SEEDED_KEYS = { statistics: 'analytics', marketing: 'marketing' } as const satisfies Record<TrackerCategory, string>;

export const TRACKERS: readonly Tracker[] = [
  {
    id: 'google-analytics', vendor: 'Google Analytics', category: 'statistics',
    urls: ['googletagmanager.com/gtag/js', 'google-analytics.com'],
    inline: ['gtag(', 'google-analytics.com', 'GoogleAnalyticsObject'],
    cookies: ['_ga', '_ga_*', '_gid', '_gat*'],
  },
  {
    // Most sites use Tag Manager for their analytics; the tags it injects later are the banner's guard's business.
    id: 'google-tag-manager', vendor: 'Google Tag Manager', category: 'statistics',
    urls: ['googletagmanager.com'],
    inline: ['googletagmanager.com/gtm.js', "'gtm.start'", '"gtm.start"'],
  },
  {
    id: 'hotjar', vendor: 'Hotjar', category: 'statistics',
    urls: ['.hotjar.com/'], inline: ['hotjar'], cookies: ['_hjSession*', '_hjSessionUser*'],
  },
  {
    id: 'microsoft-clarity', vendor: 'Microsoft Clarity', category: 'statistics',
    urls: ['clarity.ms'], inline: ['clarity.ms'], cookies: ['_clck', '_clsk'],
  },
  { id: 'yandex-metrica', vendor: 'Yandex Metrica', category: 'statistics', urls: ['mc.yandex.ru'], inline: ['mc.yandex.ru'] },
  {
    id: 'meta-pixel', vendor: 'Meta Pixel', category: 'marketing',
    urls: ['connect.facebook.net'], inline: ['fbq(', 'connect.facebook.net'], cookies: ['_fbp', '_fbc'],
  },
  {
    id: 'google-ads', vendor: 'Google Ads and DoubleClick', category: 'marketing',
    urls: ['doubleclick.net', 'googleadservices.com', 'googlesyndication.com'], cookies: ['_gcl_*'],
  },
  { id: 'linkedin-insight', vendor: 'LinkedIn Insight Tag', category: 'marketing', urls: ['snap.licdn.com'] },
  { id: 'tiktok-pixel', vendor: 'TikTok Pixel', category: 'marketing', urls: ['analytics.tiktok.com'] },
  { id: 'x-pixel', vendor: 'X (Twitter) Pixel', category: 'marketing', urls: ['static.ads-twitter.com'] },
  { id: 'microsoft-advertising', vendor: 'Microsoft Advertising (UET)', category: 'marketing', urls: ['bat.bing.com'] },
  { id: 'youtube', vendor: 'YouTube embeds', category: 'marketing', urls: ['youtube.com/embed', 'youtube-nocookie.com/embed'] },
  { id: 'vimeo', vendor: 'Vimeo embeds', category: 'marketing', urls: ['player.vimeo.com'] },
];

/** The cookies of every tracker of a category, in catalogue order. */
export function trackerCookies(category: TrackerCategory): string[] {
  return TRACKERS.filter((t) => t.category === category).flatMap((t) => t.cookies ?? []);
}
