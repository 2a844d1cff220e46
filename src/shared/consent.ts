/**
 * The domain's enums and patterns, and the types of the shapes shared by the
 * service, the plugin's admin app and the banner. The types are `Static<>` of
 * the TypeBox schemas in `schemas.ts`, imported as types only; the enums and
 * patterns are `enums.ts`'s, re-exported. Neither has a run-time dependency,
 * so the banner and the admin app can import this module.
 */
import type { Static } from 'typebox';
import { DISPLAY_PROFILES } from './enums.ts';
import type {
  A11yProfileUsedDataSchema, AccountSchema, ApiKeySchema, AuditEntrySchema, BannerColorsSchema, BannerConfigSchema, BannerTextsSchema, CategorySchema,
  ConnectionCheckResultSchema, ConnectionCheckSchema, ConnectionGuideSchema, ConsentChoicesSchema, ConsentEventSchema, ConsentWebhookDataSchema, DisplayPreferencesSchema, DisplayUsageBody, DisplayUsageReportSchema,
  ErrorBody, ProfileCountsSchema, Pagination as PaginationSchema,
  PageviewLimitWarningDataSchema, SiteConfigSchema, SubscriptionExpiredDataSchema, SubscriptionExpiringDataSchema, SiteSchema, UsageReportSchema, WebhookDeliverySchema,
  WebhookEndpointSchema, WebhookPayloadSchema,
  ClassificationSchema, CookieAttributesSchema, InventoryEntrySchema, ScanCompletedDataSchema, ScanCountsSchema, ScanDetailSchema,
  ScanDiffEntrySchema, ScanFailedDataSchema, ScanFlaggedItemSchema, ScanHostSchema, ScanItemSchema, ScanOptionsSchema, ScanPageSchema, ScanScheduleSchema,
  ScanSchema, ScanViolationSchema,
} from './schemas.ts';

export * from './enums.ts';

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
/** The display-preferences widget as stored (each field optional: see DISPLAY_PREFERENCES_DEFAULTS). */
export type DisplayPreferencesConfig = Static<typeof DisplayPreferencesSchema>;
/** The display-preferences widget with every default filled in: what the service answers and the widget reads. */
export type DisplayPreferences = Required<DisplayPreferencesConfig>;
/** A site's display preferences when it says nothing: off, opener bottom left, every profile offered. */
export const DISPLAY_PREFERENCES_DEFAULTS: Readonly<DisplayPreferences> = Object.freeze({
  enabled: false, position: 'bottom-left', profiles: [...DISPLAY_PROFILES],
});
/** A config's display preferences with the defaults filled in (a site stored before the field existed has none). */
export function displayPreferencesOf(config: Pick<SiteConfig, 'displayPreferences'> | undefined): DisplayPreferences {
  const given = config?.displayPreferences ?? {};
  return {
    enabled: given.enabled ?? DISPLAY_PREFERENCES_DEFAULTS.enabled,
    position: given.position ?? DISPLAY_PREFERENCES_DEFAULTS.position,
    profiles: [...(given.profiles ?? DISPLAY_PREFERENCES_DEFAULTS.profiles)],
  };
}
/** A site config as the service answers it: `displayPreferences` always there, with every default filled in. */
export const withDisplayPreferences = <C extends SiteConfig>(config: C): C & { displayPreferences: DisplayPreferences } =>
  ({ ...config, displayPreferences: displayPreferencesOf(config) });
/** The visitor's anonymous count of one profile use: `{ profile }` and nothing else. */
export type DisplayUsageCount = Static<typeof DisplayUsageBody>;
/** Uses per profile; every profile present. */
export type ProfileCounts = Static<typeof ProfileCountsSchema>;
/** `GET /sites/{siteId}/display-usage`: uses per profile per hour or day. */
export type DisplayUsageReport = Static<typeof DisplayUsageReportSchema>;
/** A consent category as the API returns it. */
export type Category = Static<typeof CategorySchema>;
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
/** `data` of `a11y.profile_used`: one site's counts of one closed hour. */
export type A11yProfileUsedData = Static<typeof A11yProfileUsedDataSchema>;
export type Account = Static<typeof AccountSchema>;
export type ApiKey = Static<typeof ApiKeySchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type Pagination = Static<typeof PaginationSchema>;
/** This host's facts for the Connection screen's set-up steps (the plugin's `connection/guide`). */
export type ConnectionGuide = Static<typeof ConnectionGuideSchema>;
/** The Connection screen's Check: the steps WordPress runs (the plugin's `connection/check`). */
export type ConnectionCheck = Static<typeof ConnectionCheckSchema>;
export type ConnectionCheckResult = Static<typeof ConnectionCheckResultSchema>;

/** Scheduled rescans of a site (`site.scanSchedule`); default on, every 30 days. */
export type ScanSchedule = Static<typeof ScanScheduleSchema>;
/** A cookie scan of a site, with its progress (pagesDone of pagesPlanned) and counts. */
export type Scan = Static<typeof ScanSchema>;
export type ScanOptions = Static<typeof ScanOptionsSchema>;
export type ScanCounts = Static<typeof ScanCountsSchema>;
/** `GET /sites/{siteId}/scans/{scanId}`: the scan with its pages, items, hosts, violations and diff. */
export type ScanDetail = Static<typeof ScanDetailSchema>;
export type ScanPage = Static<typeof ScanPageSchema>;
export type ScanItem = Static<typeof ScanItemSchema>;
export type ScanHost = Static<typeof ScanHostSchema>;
export type CookieAttributes = Static<typeof CookieAttributesSchema>;
/** The category an item was given, and by what (`match`); categoryKey null: unclassified. */
export type Classification = Static<typeof ClassificationSchema>;
/** A non-necessary item present before consent or after "Reject all", on one page. */
export type ScanViolation = Static<typeof ScanViolationSchema>;
export type ScanDiffEntry = Static<typeof ScanDiffEntrySchema>;
/** An unclassified item present before consent or after "Reject all": to be classified. */
export type ScanFlaggedItem = Static<typeof ScanFlaggedItemSchema>;
/** One item of a site's cookie inventory (what the cookie declaration publishes once reviewed). */
export type InventoryEntry = Static<typeof InventoryEntrySchema>;
export type ScanCompletedData = Static<typeof ScanCompletedDataSchema>;
export type ScanFailedData = Static<typeof ScanFailedDataSchema>;

/** Columns of the consent export as CSV, in order (the service writes it; the plugin passes it on). */
export const CONSENT_CSV_COLUMNS = [
  'id', 'createdAt', 'action', 'categories', 'policyVersion', 'language', 'pageUrl', 'userAgent', 'ipAnonymized', 'gpc', 'test', 'consentId',
] as const satisfies ReadonlyArray<keyof ConsentEvent>;

/** The error object every refusal answers. */
export type ApiErrorBody = Static<typeof ErrorBody>;
