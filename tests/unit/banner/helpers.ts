import type { BannerCategory } from '../../../src/banner/config.ts';

/** A category as the service sends it, with the seeded defaults. */
export function cat(key: string, extra: Partial<BannerCategory> = {}): BannerCategory {
  return {
    key, nameEn: key, descriptionEn: `${key} description`, translations: {}, isRequired: key === 'necessary', isDefault: key === 'necessary',
    sortOrder: 0, wpConsentCategory: key === 'necessary' ? 'functional' : key === 'analytics' ? 'statistics' : key === 'marketing' ? 'marketing' : 'preferences',
    cookies: [], blockPatterns: [], ...extra,
  };
}

export const SEEDED = [cat('necessary'), cat('analytics'), cat('marketing')];
