/**
 * The domain's enums and patterns, and the types of the shapes shared by the
 * service, the plugin's admin app and the banner. The types are `Static<>` of
 * the TypeBox schemas in `schemas.ts`, imported as types only: this module
 * has no run-time import, so the banner and the admin app can import it.
 */
import type { Static } from 'typebox';
import type {
  AccountSchema, ApiKeySchema, AuditEntrySchema, BannerColorsSchema, BannerConfigSchema, BannerTextsSchema, CategorySchema,
  ConsentChoicesSchema, ConsentEventSchema, ConsentWebhookDataSchema, ErrorBody, Pagination as PaginationSchema,
  PageviewLimitWarningDataSchema, SiteConfigSchema, SubscriptionExpiredDataSchema, SubscriptionExpiringDataSchema, SiteSchema, UsageReportSchema, WebhookDeliverySchema,
  WebhookEndpointSchema, WebhookPayloadSchema,
} from './schemas.ts';

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
] as const;
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
export type BannerTexts = Static<typeof BannerTextsSchema>;
/** Banner colours; defaults: background `#ffffff`, text `#1d2327`, primary `#1d4ed8`, primaryText `#ffffff`. */
export type BannerColors = Static<typeof BannerColorsSchema>;
/**
 * A site's banner configuration, kept by the service in `site.config`; every field optional. Defaults:
 * policyVersion `"1"`, consentLifetimeDays 182, defaultLanguage `"en"`, position `bottom`, layout `bar`,
 * cookieDomain the current host, floatingButton true. The schema documents each field.
 */
export type SiteConfig = Static<typeof SiteConfigSchema>;
/** A consent category as the API returns it. */
export type Category = Static<typeof CategorySchema>;
export type SiteStatus = (typeof SITE_STATUSES)[number];
export type Site = Static<typeof SiteSchema>;
/** Choices per category key: true granted, false denied. */
export type ConsentChoices = Static<typeof ConsentChoicesSchema>;
/** Proof of one consent decision. Append-only. */
export type ConsentEvent = Static<typeof ConsentEventSchema>;
/** What `GET /api/v1/banner/:publicKey` answers: everything a banner needs to render. */
export type BannerConfigResponse = Static<typeof BannerConfigSchema>;
/** Pageviews this month against the plan limit, and consent choices per day. */
export type UsageReport = Static<typeof UsageReportSchema>;
export type WebhookEndpoint = Static<typeof WebhookEndpointSchema>;
export type WebhookDelivery = Static<typeof WebhookDeliverySchema>;
/** The JSON body of every webhook delivery, and its `data` per event type. */
export type WebhookPayload = Static<typeof WebhookPayloadSchema>;
export type ConsentWebhookData = Static<typeof ConsentWebhookDataSchema>;
export type PageviewLimitWarningData = Static<typeof PageviewLimitWarningDataSchema>;
export type SubscriptionExpiringData = Static<typeof SubscriptionExpiringDataSchema>;
export type SubscriptionExpiredData = Static<typeof SubscriptionExpiredDataSchema>;
export type Account = Static<typeof AccountSchema>;
export type ApiKey = Static<typeof ApiKeySchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type Pagination = Static<typeof PaginationSchema>;

/** Columns of the consent export as CSV, in order (the service writes it; the plugin passes it on). */
export const CONSENT_CSV_COLUMNS = [
  'id', 'createdAt', 'action', 'categories', 'policyVersion', 'language', 'pageUrl', 'userAgent', 'ipAnonymized', 'gpc', 'test', 'consentId',
] as const satisfies ReadonlyArray<keyof ConsentEvent>;

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

export type ApiErrorBody = Static<typeof ErrorBody>;
