/**
 * The boot configuration the plugin prints into every page as
 * `<script id="consentry-config" type="application/json">`.
 * It is the banner config the service answers (`GET /api/v1/banner/:publicKey`)
 * plus where to send the visitor's choices. Types only come from the shared module.
 */
import type {
  BannerColors,
  BannerConfigResponse,
  BannerLayout,
  BannerPosition,
  BannerTexts,
  ConsentAction,
  SiteConfig,
  ConsentChoices,
  WpConsentCategory,
} from '#shared/consent.ts';
import type { BuiltInTexts } from '#shared/texts.ts';

export type { BannerColors, BannerLayout, BannerPosition, BannerTexts, ConsentAction, ConsentChoices, WpConsentCategory };

/** One category as the banner receives it. */
export type BannerCategory = BannerConfigResponse['categories'][number];

/**
 * The site's banner settings, every field optional; the shared `SiteConfig`
 * documents each default (policy version "1", 182 days, language "en",
 * position "bottom", layout "bar", host-only cookie, floating button on).
 */
export type BannerSiteConfig = SiteConfig;

/** Where the banner posts its records (the plugin's REST routes, same origin), and where the widget it opens lives. */
export interface BannerEndpoints {
  /** POST target of each choice. Default: none (choices are not recorded). */
  consent?: string;
  /** POST target of the one heartbeat per page load. Default: none (no heartbeat). */
  heartbeat?: string;
  /**
   * POST target of an anonymous display-preferences count, body `{ profile }` (DisplayUsageCount) and nothing else:
   * no consent id, session, page or key (the URL names the site). Default: none (nothing is counted).
   */
  displayUsage?: string;
  /**
   * URL of the display-preferences widget (display.js), loaded when the visitor opens it or has saved preferences.
   * Default: none (no opener is shown).
   */
  displayScript?: string;
}

/**
 * What `#consentry-config` holds: the service's `BannerConfigResponse` plus
 * `endpoints`. Every field is optional for the banner, which falls back to
 * the defaults below (and shows the built-in texts) when the config is missing.
 */
export interface BannerBootConfig {
  /** The site's id in the service. Default: none. */
  siteId?: BannerConfigResponse['siteId'];
  /** The site's public key (`pk_…`), sent as `api_key` with every record. Default: none (records go without it). */
  publicKey?: BannerConfigResponse['publicKey'];
  /** Banner settings. Default `{}`: every default of `SiteConfig`. */
  config?: BannerSiteConfig;
  /** Categories in display order (`sortOrder`). Default `[]`. */
  categories?: BannerCategory[];
  /** Record targets. Default `{}`: nothing is recorded. */
  endpoints?: BannerEndpoints;
  /**
   * Built-in texts of languages other than English, by language (`BUILT_IN_TEXTS` of src/shared/texts.ts): the
   * bundle holds English only. The plugin prints those of the page's language and of the site's default language.
   * Default `{}`: a page in another language shows the admin's texts for it, else English.
   */
  builtInTexts?: Record<string, Partial<BuiltInTexts>>;
}

/** The visitor's current, valid choice, as `getConsent()` returns it. */
export interface ConsentState {
  /** Random id of this visitor's consent (kept in the consent cookie). */
  consentId: string;
  /** Policy version the choice was made under. */
  policyVersion: string;
  /** When the choice was made, Unix seconds. */
  time: number;
  /** Choice per category key; required categories are always true. */
  categories: ConsentChoices;
}

/** Names of the events: `consentry:consent` and `consentry:change` on `window`. */
export type ConsentEventName = 'consent' | 'change';

/** Detail of both events and argument of their callbacks. */
export interface ConsentEventDetail extends ConsentState {
  /** What the visitor did; absent when `consent` fires for a choice stored on an earlier page. */
  action?: ConsentAction;
  /** Keys whose choice changed (only in `change`). */
  changed?: string[];
  /** Global Privacy Control was on. */
  gpc: boolean;
}

export const DEFAULT_POLICY_VERSION = '1';
export const DEFAULT_LIFETIME_DAYS = 182;
export const CONSENT_COOKIE = 'consentry_consent';
