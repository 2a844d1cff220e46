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
  ConsentChoices,
  WpConsentCategory,
} from '../shared/consent.ts';

export type { BannerColors, BannerLayout, BannerPosition, BannerTexts, ConsentAction, ConsentChoices, WpConsentCategory };

/** One category as the banner receives it. */
export type BannerCategory = BannerConfigResponse['categories'][number];

/** The site's banner settings, every field optional. */
export interface BannerSiteConfig {
  /** Bumping it asks every visitor again. Default `"1"`. */
  policyVersion?: string;
  /** Days a choice is kept before the banner asks again. Default `182` (6 months). */
  consentLifetimeDays?: number;
  /** Language used when the page's language has neither built-in nor admin texts. Default `"en"`. */
  defaultLanguage?: string;
  /** Admin texts per language (BCP 47 primary tag), over the built-in English and Turkish. Default `{}`. */
  texts?: Record<string, BannerTexts>;
  /** Colours. Defaults: background `#ffffff`, text `#1d2327`, primary `#1d4ed8`, primaryText `#ffffff`. */
  colors?: BannerColors;
  /** Where the first layer sits. Default `"bottom"`. */
  position?: BannerPosition;
  /** Shape of the first layer: full-width bar, small box, or centred modal. Default `"bar"`. */
  layout?: BannerLayout;
  /** Cookie domain (`.example.com`) to share the choice across subdomains. Default: none (current host only). */
  cookieDomain?: string;
  /** The small floating "Cookie settings" button once a choice exists. Default `true`. */
  floatingButton?: boolean;
}

/** Where the banner posts its records (the plugin's REST routes, same origin). */
export interface BannerEndpoints {
  /** POST target of each choice. Default: none (choices are not recorded). */
  consent?: string;
  /** POST target of the one heartbeat per page load. Default: none (no heartbeat). */
  heartbeat?: string;
}

/** What `#consentry-config` holds. */
export interface BannerBootConfig {
  /** The site's id in the service. */
  siteId?: string;
  /** The site's public key (`pk_…`), sent as `api_key` with every record. Default: none. */
  publicKey?: string;
  /** Banner settings. Default `{}` (every default above). */
  config?: BannerSiteConfig;
  /** Categories in display order. Default `[]`. */
  categories?: BannerCategory[];
  /** Record targets. Default `{}` (nothing recorded). */
  endpoints?: BannerEndpoints;
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
