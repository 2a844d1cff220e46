/**
 * The domain's enums and patterns, each written once. No imports: the
 * schemas, the banner, the admin app and the plugin's generated facts all
 * read them from here (most through `consent.ts`, which re-exports them).
 */

/** What a visitor did. `withdraw` is a later choice that takes consent back. */
export const CONSENT_ACTIONS = ['accept_all', 'reject_all', 'custom', 'withdraw'] as const;
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

/**
 * Category keys: lower-case letters, digits and underscore, 1 to 50 long; not `__proto__`, `constructor` or
 * `prototype`, which name parts of every JavaScript object (a choices object keyed by them loses the choice or
 * reads a function). Written for both JavaScript and PCRE (the plugin's copy is generated from it).
 */
export const CATEGORY_KEY_PATTERN = '^(?!(?:__proto__|constructor|prototype)$)[a-z0-9_]{1,50}$';

/** The WP Consent API's vocabulary a site category maps to. */
export const WP_CONSENT_CATEGORIES = ['functional', 'preferences', 'statistics', 'statistics-anonymous', 'marketing'] as const;
export type WpConsentCategory = (typeof WP_CONSENT_CATEGORIES)[number];

/** Plans an account can be on; `self_hosted` is the default and has no limits. */
export const PLANS = ['self_hosted', 'pro', 'enterprise', 'enterprise_plus'] as const;
export type Plan = (typeof PLANS)[number];

/** The plan an account falls back to when its plan's end date passes: the smallest plan with limits. */
export const EXPIRED_PLAN_FALLBACK: Plan = 'pro';
/** Days before a plan's end date when `subscription.expiring` is sent (once each). */
export const PLAN_EXPIRY_WARNING_DAYS = [7, 1] as const;

/** Secret keys: `live` (ck_…) or `test` (ck_test_…), whose data is marked test and never counts toward quotas. */
export const KEY_MODES = ['live', 'test'] as const;
export type KeyMode = (typeof KEY_MODES)[number];

/** Events a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENTS = [
  'consent.given', 'consent.rejected', 'consent.updated', 'pageview.limit_warning', 'subscription.expiring', 'subscription.expired',
  'scan.completed', 'scan.failed', 'a11y.profile_used',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** States of one webhook delivery. */
export const DELIVERY_STATES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** A site is soft-deleted: `deleted` sites keep their proof of consent. */
export const SITE_STATUSES = ['active', 'deleted'] as const;
export type SiteStatus = (typeof SITE_STATUSES)[number];

/** The visitor's pseudonymous consent id, kept in the consent cookie. */
export const CONSENT_ID_PATTERN = '^[A-Za-z0-9_-]+$';

export const BANNER_POSITIONS = ['bottom', 'top', 'bottom-left', 'bottom-right', 'center'] as const;
export type BannerPosition = (typeof BANNER_POSITIONS)[number];

export const BANNER_LAYOUTS = ['bar', 'box', 'modal'] as const;
export type BannerLayout = (typeof BANNER_LAYOUTS)[number];

/** Error codes of the API; the status each maps to is in the service's errors module. */
export const ERROR_CODES = [
  'AUTHENTICATION_ERROR',
  'AUTHORIZATION_ERROR',
  'VALIDATION_ERROR',
  'DOMAIN_MISMATCH',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMIT_ERROR',
  'RESOURCE_NOT_FOUND',
  'CONFLICT_ERROR',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** States of a cookie scan. `partial`: it finished but some pages failed. */
export const SCAN_STATES = ['queued', 'running', 'completed', 'partial', 'failed', 'cancelled'] as const;
export type ScanState = (typeof SCAN_STATES)[number];
/** The states a scan ends in; one scan per site may be in any other. */
export const SCAN_FINAL_STATES = ['completed', 'partial', 'failed', 'cancelled'] as const satisfies readonly ScanState[];

/** The three passes of a scanned page, each in a fresh browser context: before any choice, after "Accept all", after "Reject all". */
export const SCAN_PASSES = ['before', 'accept', 'reject'] as const;
export type ScanPass = (typeof SCAN_PASSES)[number];

/** Why a scan failed (`scan.failed`'s `reason`). */
export const SCAN_FAILURE_REASONS = ['browser_unavailable', 'unreachable', 'blocked', 'timeout', 'interrupted', 'internal'] as const;
export type ScanFailureReason = (typeof SCAN_FAILURE_REASONS)[number];

/** What started a scan: a call to the API, or the site's scan schedule. */
export const SCAN_TRIGGERS = ['manual', 'schedule'] as const;
export type ScanTrigger = (typeof SCAN_TRIGGERS)[number];

/** Kinds of resource a page loaded from a third-party host. */
export const SCAN_HOST_RESOURCE_TYPES = ['script', 'iframe', 'image', 'beacon', 'other'] as const;
export type ScanHostResourceType = (typeof SCAN_HOST_RESOURCE_TYPES)[number];

/** What one scanned page came to. */
export const SCAN_PAGE_STATES = ['ok', 'failed'] as const;
export type ScanPageState = (typeof SCAN_PAGE_STATES)[number];

/** Where a site stores something about a visitor: what the cookie inventory lists. */
export const STORAGE_KINDS = ['cookie', 'localStorage', 'sessionStorage', 'indexedDB'] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];
/** What a violation names: a storage item, or a tracker's host a page loaded something from. */
export const SCAN_VIOLATION_KINDS = [...STORAGE_KINDS, 'host'] as const;
export type ScanViolationKind = (typeof SCAN_VIOLATION_KINDS)[number];

/** Where an inventory entry came from: found by a scan, or added by hand. */
export const INVENTORY_SOURCES = ['scan', 'manual'] as const;
export type InventorySource = (typeof INVENTORY_SOURCES)[number];

/** Review of an inventory entry. Only `done` entries are published in the cookie declaration. */
export const REVIEW_STATES = ['todo', 'done', 'ignored'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/**
 * What gave a scanned item its category: a person's `override` (the site's inventory), Consentry's or WordPress's own
 * cookies (necessary), the Open Cookie Database, or the tracker catalogue (src/shared/trackers.ts). None: unclassified.
 */
export const CLASSIFICATION_SOURCES = ['override', 'consentry', 'wordpress', 'open-cookie-database', 'tracker-catalogue'] as const;
export type ClassificationSource = (typeof CLASSIFICATION_SOURCES)[number];

/** How a scanned item changed since the site's previous scan. */
export const SCAN_DIFF_KINDS = ['added', 'removed', 'changed'] as const;
export type ScanDiffKind = (typeof SCAN_DIFF_KINDS)[number];

/** Display-preference profiles: one-click presets of presentation adjustments a visitor may turn on. */
export const DISPLAY_PROFILES = ['seizure_safe', 'vision_impaired', 'adhd_friendly', 'dyslexia_friendly', 'cognitive', 'keyboard_motor'] as const;
export type DisplayProfile = (typeof DISPLAY_PROFILES)[number];

/** Where the display-preferences opener sits on the page. */
export const DISPLAY_OPENER_POSITIONS = ['bottom-left', 'bottom-right', 'middle-left', 'middle-right'] as const;
export type DisplayOpenerPosition = (typeof DISPLAY_OPENER_POSITIONS)[number];

/** Bucket sizes of the display-preferences usage report. */
export const DISPLAY_USAGE_INTERVALS = ['hour', 'day'] as const;
export type DisplayUsageInterval = (typeof DISPLAY_USAGE_INTERVALS)[number];

/**
 * The display-preferences adjustments a visitor can turn on, each a presentation-only CSS change (the profiles are
 * presets of them). `high`, `dark` and `light` are the contrast modes: at most one is on.
 */
export const DISPLAY_ADJUSTMENTS = [
  'text', 'lines', 'letters', 'font', 'high', 'dark', 'light', 'saturation', 'motion', 'links', 'focus', 'cursor', 'guide',
] as const;
export type DisplayAdjustment = (typeof DISPLAY_ADJUSTMENTS)[number];

/**
 * The steps of the Connection screen's Check, in order: the first four are run by WordPress
 * (`GET consentry/v1/connection/check`), `visitor_route` by the admin's browser itself.
 */
export const CONNECTION_CHECK_STEPS = ['service_reachable', 'key_valid', 'site_linked', 'banner_config_cached', 'visitor_route'] as const;
export type ConnectionCheckStep = (typeof CONNECTION_CHECK_STEPS)[number];
/** What one step came to; `skipped` when an earlier step it needs failed. */
export const CONNECTION_CHECK_STATES = ['pass', 'fail', 'skipped'] as const;
export type ConnectionCheckState = (typeof CONNECTION_CHECK_STATES)[number];
