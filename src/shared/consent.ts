/**
 * Shapes shared by the service, the plugin's admin app and the banner.
 * The banner imports types only from here; constants it needs are small
 * and repeated there on purpose to keep its bundle free of this module.
 */

/** What a visitor did. `withdraw` is a later choice that takes consent back. */
export const CONSENT_ACTIONS = ['accept_all', 'reject_all', 'custom', 'withdraw'] as const;
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

/** Category keys: lower-case letters, digits and underscore, 1 to 50 long. */
export const CATEGORY_KEY_PATTERN = '^[a-z0-9_]{1,50}$';

/** The WP Consent API's vocabulary a site category maps to. */
export const WP_CONSENT_CATEGORIES = ['functional', 'preferences', 'statistics', 'statistics-anonymous', 'marketing'] as const;
export type WpConsentCategory = (typeof WP_CONSENT_CATEGORIES)[number];

/** Plans an account can be on; `self_hosted` is the default and has no limits. */
export const PLANS = ['self_hosted', 'pro', 'enterprise', 'enterprise_plus'] as const;
export type Plan = (typeof PLANS)[number];

/** Secret keys: `live` (ck_…) or `test` (ck_test_…), whose data is marked test and never counts toward quotas. */
export const KEY_MODES = ['live', 'test'] as const;
export type KeyMode = (typeof KEY_MODES)[number];

/** Events a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENTS = ['consent.given', 'consent.rejected', 'consent.updated', 'pageview.limit_warning'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** States of one webhook delivery. */
export const DELIVERY_STATES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** A site is soft-deleted: `deleted` sites keep their proof of consent. */
export const SITE_STATUSES = ['active', 'deleted'] as const;

/** The visitor's pseudonymous consent id, kept in the consent cookie. */
export const CONSENT_ID_PATTERN = '^[A-Za-z0-9_-]+$';

export const BANNER_POSITIONS = ['bottom', 'top', 'bottom-left', 'bottom-right', 'center'] as const;
export type BannerPosition = (typeof BANNER_POSITIONS)[number];

export const BANNER_LAYOUTS = ['bar', 'box', 'modal'] as const;
export type BannerLayout = (typeof BANNER_LAYOUTS)[number];

/** Texts of the banner in one language; every field optional: built-in texts fill the gaps. */
export interface BannerTexts {
  title?: string;
  description?: string;
  acceptAll?: string;
  rejectAll?: string;
  customize?: string;
  save?: string;
  close?: string;
  settings?: string;
  privacyPolicyLabel?: string;
  privacyPolicyUrl?: string;
}

export interface BannerColors {
  /** Banner background, default `#ffffff`. */
  background?: string;
  /** Body text, default `#1d2327`. */
  text?: string;
  /** Buttons, default `#1d4ed8`. */
  primary?: string;
  /** Text on buttons, default `#ffffff`. */
  primaryText?: string;
}

/** A site's banner configuration, kept by the service in `site.config`. */
export interface SiteConfig {
  /** Bumping it asks every visitor again. Default `"1"`. */
  policyVersion?: string;
  /** Days a choice is kept before the banner asks again. Default 182 (6 months). */
  consentLifetimeDays?: number;
  /** Language used when the page's language has no texts. Default `"en"`. */
  defaultLanguage?: string;
  /** Per-language overrides of the built-in texts, keyed by BCP 47 primary tag (`en`, `tr`). */
  texts?: Record<string, BannerTexts>;
  colors?: BannerColors;
  /** Default `bottom`. */
  position?: BannerPosition;
  /** Default `bar`. */
  layout?: BannerLayout;
  /** Cookie domain to share consent across subdomains (`.example.com`); default: the current host. */
  cookieDomain?: string;
  /** The small floating "Cookie settings" button. Default true. */
  floatingButton?: boolean;
}

/** A consent category as the API returns it. */
export interface Category {
  id: string;
  siteId: string;
  key: string;
  nameEn: string;
  descriptionEn: string;
  /** Names and descriptions in other languages, keyed by language tag. */
  translations: Record<string, { name?: string; description?: string }>;
  isRequired: boolean;
  isDefault: boolean;
  sortOrder: number;
  /** WP Consent API category this one stands for. */
  wpConsentCategory: WpConsentCategory;
  /** Cookie names (a trailing `*` matches a prefix) deleted when this category is revoked. */
  cookies: string[];
  /** Script/iframe URL substrings that belong to this category (blocked until granted). */
  blockPatterns: string[];
  createdAt: string;
  updatedAt: string;
}

export type SiteStatus = (typeof SITE_STATUSES)[number];

export interface Site {
  id: string;
  name: string;
  domain: string;
  status: SiteStatus;
  /** Public key (`pk_…`) identifying this site on the visitor endpoints. */
  publicKey: string;
  config: SiteConfig;
  createdAt: string;
  updatedAt: string;
}

/** Choices per category key: true granted, false denied. */
export type ConsentChoices = Record<string, boolean>;

/** Proof of one consent decision. Append-only. */
export interface ConsentEvent {
  id: string;
  siteId: string;
  /** Pseudonymous id of the visitor's consent (random, kept in the consent cookie). */
  consentId: string;
  action: ConsentAction;
  categories: ConsentChoices;
  policyVersion: string;
  language: string | null;
  pageUrl: string | null;
  userAgent: string | null;
  /** The visitor's address with the host part zeroed (IPv4 /24, IPv6 /48). */
  ipAnonymized: string | null;
  /** Global Privacy Control signal present when the choice was made. */
  gpc: boolean;
  /** Recorded with a test-mode key. */
  test: boolean;
  createdAt: string;
}

/** What `GET /api/v1/banner/:publicKey` answers: everything a banner needs to render. */
export interface BannerConfigResponse {
  siteId: string;
  publicKey: string;
  config: SiteConfig;
  categories: Array<Pick<Category, 'key' | 'nameEn' | 'descriptionEn' | 'translations' | 'isRequired' | 'isDefault' | 'sortOrder' | 'wpConsentCategory' | 'cookies' | 'blockPatterns'>>;
}

/** Error codes of the API; the status each maps to is in the service's errors module. */
export const ERROR_CODES = [
  'AUTHENTICATION_ERROR',
  'AUTHORIZATION_ERROR',
  'VALIDATION_ERROR',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMIT_ERROR',
  'RESOURCE_NOT_FOUND',
  'CONFLICT_ERROR',
  'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorBody {
  success: false;
  error: {
    code: ErrorCode;
    message: string;
    details: Record<string, unknown> | null;
    request_id: string;
    documentation_url: string;
  };
}
