/**
 * Every shape that crosses a boundary, written once: the service validates
 * requests with them (through Fastify's ajv) and generates its OpenAPI
 * document from them; `consent.ts` derives the TypeScript types (`Static<>`);
 * the build emits what the PHP plugin checks from them
 * (`plugin/includes/generated/`, see scripts/build/php-facts.ts).
 * Request objects reject unknown fields (`additionalProperties: false`).
 * Imports TypeBox at run time: the banner and the admin app import only types from here.
 */
import Type, { type Static, type TSchema } from 'typebox';
import {
  BANNER_LAYOUTS, BANNER_POSITIONS, CATEGORY_KEY_PATTERN, CLASSIFICATION_SOURCES, CONNECTION_CHECK_STATES, CONNECTION_CHECK_STEPS, CONSENT_ACTIONS, CONSENT_ID_PATTERN, DELIVERY_STATES,
  DISPLAY_OPENER_POSITIONS, DISPLAY_PROFILES, DISPLAY_USAGE_INTERVALS, ERROR_CODES, INVENTORY_SOURCES, KEY_MODES, PLANS, REVIEW_STATES,
  SCAN_DIFF_KINDS, SCAN_FAILURE_REASONS, SCAN_HOST_RESOURCE_TYPES, SCAN_PAGE_STATES, SCAN_PASSES, SCAN_STATES, SCAN_TRIGGERS, SCAN_VIOLATION_KINDS,
  SITE_STATUSES, STORAGE_KINDS, WEBHOOK_EVENTS, WP_CONSENT_CATEGORIES,
} from './enums.ts';

const strict = { additionalProperties: false } as const;
const Enum = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const Nullable = <T extends TSchema>(schema: T, description?: string) => Type.Union([schema, Type.Null()], description ? { description } : {});

/**
 * A map whose keys follow a pattern. Written as propertyNames and
 * additionalProperties, not TypeBox's patternProperties: keys outside the
 * pattern are refused (patternProperties alone lets them through, with any
 * value), and the OpenAPI document keeps the key pattern (the generator turns
 * patternProperties into a map of any key).
 */
const KeyedRecord = <V extends TSchema>(key: TSchema, value: V, options: Record<string, unknown> = {}) =>
  Type.Unsafe<Record<string, Static<V>>>({ ...options, type: 'object', propertyNames: key, additionalProperties: value });

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' });
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC' });
const languageTag = { pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 } as const;
export const LanguageTag = Type.String(languageTag);
export const HttpUrl = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048 });
export const Domain = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: '^(localhost|[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)(:[0-9]{1,5})?$',
  description: 'Host name without scheme or path, optionally with a port (`example.com`, `localhost:8888`).',
});
const Color = (description: string) => Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: `${description}; hex colour \`#rrggbb\`` });
const ShortText = (max: number) => Type.String({ maxLength: max });
export const CategoryKey = Type.String({ pattern: CATEGORY_KEY_PATTERN, description: 'Lower-case letters, digits and `_`, 1 to 50 long; not `__proto__`, `constructor` or `prototype`' });
/** The visitor's pseudonymous consent id (and the heartbeat's session id): random, kept in the consent cookie. */
const consentId = { minLength: 8, maxLength: 64, pattern: CONSENT_ID_PATTERN } as const;
export const ConsentId = Type.String(consentId);
export const ConsentActionSchema = Enum(CONSENT_ACTIONS, 'What the visitor did; `withdraw` is a later choice that takes consent back');
export const PlanSchema = Enum(PLANS);
export const SiteStatusSchema = Enum(SITE_STATUSES, '`deleted` sites are soft-deleted and keep their proof of consent');
export const WpConsentCategorySchema = Enum(WP_CONSENT_CATEGORIES, 'The WP Consent API category this one stands for');
export const WebhookEventSchema = Enum(WEBHOOK_EVENTS);
export const KeyModeSchema = Enum(KEY_MODES, 'test keys mark their data as test; it never counts toward quotas');

export const BannerTextsSchema = Type.Object({
  title: Type.Optional(ShortText(200)),
  description: Type.Optional(ShortText(4000)),
  acceptAll: Type.Optional(ShortText(60)),
  rejectAll: Type.Optional(ShortText(60)),
  customize: Type.Optional(ShortText(60)),
  save: Type.Optional(ShortText(60)),
  close: Type.Optional(ShortText(60)),
  settings: Type.Optional(ShortText(60)),
  privacyPolicyLabel: Type.Optional(ShortText(100)),
  privacyPolicyUrl: Type.Optional(HttpUrl),
  cookiePolicyLabel: Type.Optional(ShortText(100)),
  cookiePolicyUrl: Type.Optional(HttpUrl),
}, { ...strict, description: 'Texts of the banner in one language; every field optional: built-in texts fill the gaps. `cookiePolicyUrl` is the cookie declaration (a page with the `[consentry_cookie_policy]` shortcode or its block), linked from the preference centre.' });

export const BannerColorsSchema = Type.Object({
  background: Type.Optional(Color('Banner background, default `#ffffff`')),
  text: Type.Optional(Color('Body text, default `#1d2327`')),
  primary: Type.Optional(Color('Buttons, default `#1d4ed8`')),
  primaryText: Type.Optional(Color('Text on buttons, default `#ffffff`')),
}, strict);

export const DisplayProfileSchema = Enum(DISPLAY_PROFILES, 'A display-preferences profile: a one-click preset of presentation adjustments');
export const DisplayOpenerPositionSchema = Enum(DISPLAY_OPENER_POSITIONS, 'Where the display-preferences opener sits');

/**
 * The display-preferences widget of a site (presentation only, on the visitor's request). Each field has a default,
 * filled in when the object is sent without it; a site stored before the field existed reads all the defaults.
 */
export const DisplayPreferencesSchema = Type.Object({
  enabled: Type.Optional(Type.Boolean({ default: false, description: 'Whether the page shows the opener of the widget. Default false.' })),
  position: Type.Optional(Type.Unsafe<(typeof DISPLAY_OPENER_POSITIONS)[number]>({
    type: 'string', enum: [...DISPLAY_OPENER_POSITIONS], default: 'bottom-left', description: 'Where the opener sits. Default `bottom-left`.',
  })),
  profiles: Type.Optional(Type.Array(DisplayProfileSchema, {
    uniqueItems: true, maxItems: DISPLAY_PROFILES.length, default: [...DISPLAY_PROFILES],
    description: 'The profiles offered, in this order (the individual adjustments are always offered). Default: all six.',
  })),
}, { ...strict, description: 'The display-preferences widget (presentation only; makes no claim of compliance).' });

export const SiteConfigSchema = Type.Object({
  policyVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9._-]+$', description: 'Bumping it asks every visitor again. Default `"1"`.' })),
  consentLifetimeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 395, description: 'Days a choice is kept before the banner asks again. Default 182 (6 months).' })),
  defaultLanguage: Type.Optional(Type.String({ ...languageTag, description: 'Language used when the page\'s language has no texts. Default `"en"`.' })),
  texts: Type.Optional(KeyedRecord(LanguageTag, BannerTextsSchema, { maxProperties: 50, description: 'Per-language overrides of the built-in texts, keyed by BCP 47 primary tag (`en`, `tr`).' })),
  colors: Type.Optional(BannerColorsSchema),
  position: Type.Optional(Enum(BANNER_POSITIONS, 'Default `bottom`.')),
  layout: Type.Optional(Enum(BANNER_LAYOUTS, 'Default `bar`.')),
  cookieDomain: Type.Optional(Type.String({ maxLength: 253, pattern: '^\\.?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$', description: 'Cookie domain to share consent across subdomains (`.example.com`); default: the current host.' })),
  floatingButton: Type.Optional(Type.Boolean({ description: 'The small floating "Cookie settings" button. Default true.' })),
  displayPreferences: Type.Optional(DisplayPreferencesSchema),
}, { ...strict, description: 'A site\'s banner configuration; every field optional, defaults filled in by the banner.' });

const Translations = KeyedRecord(LanguageTag, Type.Object({
  name: Type.Optional(ShortText(100)), description: Type.Optional(ShortText(2000)),
}, strict), { maxProperties: 50, description: 'Names and descriptions in other languages, keyed by language tag' });
export const CookieName = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\s;,=]+$' });
const CookieNames = Type.Array(CookieName, { maxItems: 100, description: 'Cookie names (a trailing `*` matches a prefix) deleted when this category is revoked' });
const BlockPatterns = Type.Array(Type.String({ minLength: 3, maxLength: 300 }), { maxItems: 100, description: 'Script/iframe URL substrings that belong to this category (blocked until granted)' });

const categoryFields = {
  nameEn: Type.String({ minLength: 1, maxLength: 100 }),
  descriptionEn: ShortText(2000),
  translations: Translations,
  isRequired: Type.Boolean(),
  isDefault: Type.Boolean(),
  wpConsentCategory: WpConsentCategorySchema,
  cookies: CookieNames,
  blockPatterns: BlockPatterns,
};

export const CategorySchema = Type.Object({
  id: Id, siteId: Id, key: CategoryKey, ...categoryFields, sortOrder: Type.Integer(), createdAt: Timestamp, updatedAt: Timestamp,
}, { description: 'A consent category as the API returns it' });
/** Every changeable field of a category, optional: what a patch may carry, and a create besides its key and name. */
const optionalCategoryFields = Object.fromEntries(Object.entries(categoryFields).map(([name, schema]) => [name, Type.Optional(schema)])) as {
  [K in keyof typeof categoryFields]: ReturnType<typeof Type.Optional<(typeof categoryFields)[K]>>;
};
export const CreateCategoryBody = Type.Object({ ...optionalCategoryFields, key: CategoryKey, nameEn: categoryFields.nameEn }, strict);
export const UpdateCategoryBody = Type.Object(optionalCategoryFields, { ...strict, minProperties: 1 });
export const ReorderBody = Type.Object({
  order: Type.Array(Type.Object({ id: Id, sortOrder: Type.Integer({ minimum: 0, maximum: 10000 }) }, strict), { minItems: 1, maxItems: 200 }),
}, strict);

const ScanIntervalDays = Type.Integer({ minimum: 1, maximum: 366, description: 'Days between scheduled scans, counted from the end of the site\'s last scan. Default 30.' });
/** When the service rescans a site by itself. Kept beside the banner config, not in it: the config is printed into every page. */
export const ScanScheduleSchema = Type.Object({
  enabled: Type.Boolean({ description: 'Scheduled rescans on (default true).' }),
  intervalDays: ScanIntervalDays,
  nextAt: Nullable(Timestamp, 'When the next scheduled scan is due; null when rescans are off or a scan is queued or running'),
}, { description: 'Scheduled rescans of the site; default on, every 30 days.' });
/** A change of the scan schedule: the fields given replace the stored ones. */
export const ScanScheduleBody = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  intervalDays: Type.Optional(ScanIntervalDays),
}, { ...strict, minProperties: 1, description: 'The fields given replace the stored ones.' });

export const SiteSchema = Type.Object({
  id: Id, name: Type.String(), domain: Type.String(), status: SiteStatusSchema,
  publicKey: Type.String({ description: 'Public key (`pk_…`) identifying this site on the visitor endpoints' }),
  config: SiteConfigSchema,
  scanSchedule: ScanScheduleSchema,
  createdAt: Timestamp, updatedAt: Timestamp,
});
export const CreateSiteBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  domain: Domain,
  config: Type.Optional(SiteConfigSchema),
  scanSchedule: Type.Optional(ScanScheduleBody),
}, strict);
export const UpdateSiteBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  domain: Type.Optional(Domain),
  config: Type.Optional(SiteConfigSchema),
  scanSchedule: Type.Optional(ScanScheduleBody),
  status: Type.Optional(SiteStatusSchema),
}, { ...strict, minProperties: 1, description: 'At least one field. `config`, when given, replaces the whole configuration; `scanSchedule` changes the fields it names.' });

// A choice may name any key of the category-key shape: a site can hold a category keyed __proto__ from before such keys were
// refused, and its visitors' choices still count (the domain refuses keys that are not the site's).
const ChoiceKey = Type.String({ pattern: '^[a-z0-9_]{1,50}$' });
const Choices = KeyedRecord(ChoiceKey, Type.Boolean(), { maxProperties: 50, description: 'Choice per category key' });
/** Choices per category key as recorded: true granted, false denied. */
export const ConsentChoicesSchema = Type.Record(Type.String(), Type.Boolean());
const consentFields = {
  consentId: Type.String({ ...consentId, description: 'Random id of the visitor\'s consent, kept in the consent cookie' }),
  action: ConsentActionSchema,
  categories: Choices,
  policyVersion: Type.String({ minLength: 1, maxLength: 32 }),
  language: Type.Optional(LanguageTag),
  pageUrl: Type.Optional(HttpUrl),
  gpc: Type.Optional(Type.Boolean({ description: 'Global Privacy Control signal was on' })),
};
export const ConsentEventSchema = Type.Object({
  id: Id, siteId: Id,
  consentId: Type.String({ description: 'Pseudonymous id of the visitor\'s consent (random, kept in the consent cookie)' }),
  action: ConsentActionSchema, categories: ConsentChoicesSchema,
  policyVersion: Type.String(), language: Nullable(Type.String()), pageUrl: Nullable(Type.String(), 'E-mail addresses masked'),
  userAgent: Nullable(Type.String()),
  ipAnonymized: Nullable(Type.String(), 'The visitor\'s address with the host part zeroed (IPv4 /24, IPv6 /48)'),
  gpc: Type.Boolean({ description: 'Global Privacy Control signal present when the choice was made' }),
  test: Type.Boolean({ description: 'Recorded with a test-mode key' }),
  createdAt: Timestamp,
}, { description: 'Proof of one consent decision. Append-only.' });
/**
 * What only a secret-key caller may say of a choice made earlier, elsewhere: a WordPress plugin sending on the choices it
 * held while the service was down. Never on the public visitor route (its schema is strict and lacks them): a visitor
 * cannot backdate proof. The audit log keeps when and with which key such an event arrived.
 */
const serverRecordedFields = {
  occurredAt: Type.Optional(Type.String({
    format: 'date-time', description: 'When the visitor chose, for a choice sent on later (ISO 8601 UTC): at most 30 days ago, '
      + 'a time up to 5 minutes ahead counts as now (clock skew). Default: now',
  })),
  userAgent: Type.Optional(Type.String({ maxLength: 512, description: 'The visitor\'s browser, when not the caller\'s own User-Agent' })),
  visitorIp: Type.Optional(Type.String({
    maxLength: 45, pattern: '^[0-9A-Fa-f:.]{2,45}$', description: 'The visitor\'s address, raw or already anonymised; kept anonymised (IPv4 /24, IPv6 /48) like every address',
  })),
};
export const RecordConsentBody = Type.Object({ siteId: Id, ...consentFields, ...serverRecordedFields }, strict);
export const VisitorConsentBody = Type.Object({
  api_key: Type.Optional(Type.String({ maxLength: 100, description: 'The site\'s public key, for `sendBeacon` which cannot set headers' })),
  siteId: Type.Optional(Id),
  ...consentFields,
}, strict);
export const BatchConsentBody = Type.Object({
  events: Type.Array(RecordConsentBody, { minItems: 1, maxItems: 500 }),
}, strict);
export const ExportQuery = Type.Object({
  format: Type.Optional(Enum(['ndjson', 'csv'] as const, 'Default ndjson')),
  action: Type.Optional(ConsentActionSchema),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
}, strict);
export const ConsentIdParam = ConsentId;

/**
 * `POST /banner/{publicKey}/display-usage`: one anonymous use of a profile. Nothing else: no consent id, session,
 * page or time travels with it, so no count can be linked to a visitor.
 */
export const DisplayUsageBody = Type.Object({ profile: DisplayProfileSchema }, strict);

export const HeartbeatBody = Type.Object({
  api_key: Type.Optional(Type.String({ maxLength: 100 })),
  siteId: Type.Optional(Id),
  session_id: ConsentId,
  page_url: HttpUrl,
  referrer: Type.Optional(Type.String({ maxLength: 2048 })),
}, strict);
export const HeartbeatResponse = Type.Object({
  success: Type.Literal(true),
  pageview_count_month: Type.Integer(),
  plan_limit: Nullable(Type.Integer(), 'null when the plan has no pageview limit'),
  usage_percent: Type.Number(),
});

export const EventListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page; takes precedence over offset' })),
  action: Type.Optional(ConsentActionSchema),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
}, strict);
export const SiteListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  status: Type.Optional(SiteStatusSchema),
}, strict);
/** A page of webhook deliveries. */
export const DeliveryListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
}, strict);
/** `GET /sites/{siteId}/display-usage`: a time range (default the last 30 days) and the bucket size (default `day`). */
export const DisplayUsageQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (inclusive, rounded down to the hour). Default: 30 days before `to`.' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'End (exclusive). Default: now.' })),
  interval: Type.Optional(Type.Unsafe<(typeof DISPLAY_USAGE_INTERVALS)[number]>({
    type: 'string', enum: [...DISPLAY_USAGE_INTERVALS], default: 'day', description: 'Bucket size. Default `day`; `hour` for at most 31 days.',
  })),
}, strict);
export const UsageQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })) }, strict);

export const AccountSchema = Type.Object({
  id: Id, name: Type.String(), plan: PlanSchema,
  planExpiresAt: Nullable(Timestamp, 'When the plan ends (the account then falls back to `pro`); null: no end date'),
  email: Nullable(Type.String(), 'Masked: u***@example.com'),
  ipAllowlist: Type.Array(Type.String()), createdAt: Timestamp,
});
export const AllowlistBody = Type.Object({
  entries: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50, description: 'IPv4/IPv6 addresses or CIDR ranges; empty allows any address' }),
}, strict);
export const CreateKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  mode: Type.Optional(KeyModeSchema),
}, strict);
export const AuditQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  method: Type.Optional(Enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const)),
  status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
}, strict);
export const AuditEntrySchema = Type.Object({
  id: Id, keyId: Nullable(Type.String()), method: Type.String(), route: Type.String(), path: Type.String(),
  status: Type.Integer(), ipAnonymized: Nullable(Type.String()), requestId: Type.String(), durationMs: Type.Number(),
  detail: Nullable(Type.Record(Type.String(), Type.Unknown())), createdAt: Timestamp,
});

const WebhookEvents = Type.Array(WebhookEventSchema, { minItems: 1, maxItems: WEBHOOK_EVENTS.length });
const WebhookUrl = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048, description: 'http(s) URL; private addresses are refused unless CONSENTRY_WEBHOOK_ALLOW_PRIVATE=1' });
export const CreateWebhookBody = Type.Object({
  url: WebhookUrl, events: WebhookEvents,
  description: Type.Optional(Type.String({ maxLength: 200 })), enabled: Type.Optional(Type.Boolean()),
}, strict);
export const UpdateWebhookBody = Type.Object({
  url: Type.Optional(WebhookUrl), events: Type.Optional(WebhookEvents),
  description: Type.Optional(Type.String({ maxLength: 200 })), enabled: Type.Optional(Type.Boolean()),
}, { ...strict, minProperties: 1 });
export const WebhookEndpointSchema = Type.Object({
  id: Id, url: Type.String(), description: Type.String(), events: Type.Array(WebhookEventSchema), enabled: Type.Boolean(),
  createdAt: Timestamp, updatedAt: Timestamp,
});
export const WebhookDeliverySchema = Type.Object({
  id: Id, endpointId: Id, eventType: WebhookEventSchema, payload: Type.String({ description: 'The exact signed body: a WebhookPayload' }),
  state: Enum(DELIVERY_STATES), attempts: Type.Integer(), maxAttempts: Type.Integer(),
  nextAttemptAt: Nullable(Timestamp), lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()), createdAt: Timestamp, updatedAt: Timestamp,
});

// ---- The cookie scanner and the cookie inventory ----

export const ScanStateSchema = Enum(SCAN_STATES, '`partial`: finished, but some pages failed or the time budget ran out');
export const ScanPassSchema = Enum(SCAN_PASSES, 'before: before any choice; accept: after "Accept all"; reject: after "Reject all"');
export const ScanFailureReasonSchema = Enum(SCAN_FAILURE_REASONS);
export const StorageKindSchema = Enum(STORAGE_KINDS);
export const ReviewStateSchema = Enum(REVIEW_STATES, 'Only `done` entries are published in the cookie declaration');
export const InventorySourceSchema = Enum(INVENTORY_SOURCES);

const PagePattern = Type.String({ minLength: 1, maxLength: 300 });
const PagePatterns = (description: string) => Type.Array(PagePattern, { maxItems: 50, description });
const PAGE_PATTERN_HELP = 'A pattern with `*` is a glob over the URL path (`*` any characters, `/` included) matched against the whole path; '
  + 'any other pattern matches when the path contains it.';
export const ScanPageBudget = Type.Integer({ minimum: 1, maximum: 500, description: 'Most pages scanned, the start page included. Default 50.' });
const scanOptionFields = {
  pageBudget: ScanPageBudget,
  include: PagePatterns(`Only pages whose path matches one of these (empty: every page; the start page always). ${PAGE_PATTERN_HELP}`),
  exclude: PagePatterns(`Pages whose path matches one of these are skipped; exclude wins over include. ${PAGE_PATTERN_HELP}`),
};
export const ScanOptionsSchema = Type.Object(scanOptionFields, { description: 'The options a scan ran with, defaults filled in' });
export const CreateScanBody = Type.Object({
  startUrl: Type.Optional(Type.String({
    format: 'uri', pattern: '^https?://', maxLength: 2048,
    description: 'Where the scan starts; default `https://<site domain>/`. Must be on the site\'s domain or a subdomain of it (any port): 422 DOMAIN_MISMATCH otherwise.',
  })),
  pageBudget: Type.Optional(ScanPageBudget),
  include: Type.Optional(scanOptionFields.include),
  exclude: Type.Optional(scanOptionFields.exclude),
}, { ...strict, description: 'Every field optional: an empty body scans the site\'s home page and what it leads to, 50 pages at most.' });

const Count = (description?: string) => Type.Integer({ minimum: 0, ...(description ? { description } : {}) });
export const ScanCountsSchema = Type.Object({
  items: Count('Distinct items found (cookies, storage keys, IndexedDB databases)'),
  unclassified: Count('Items no rule and no override classifies: never published until someone classifies them'),
  violations: Count('Non-necessary items present before any choice or after "Reject all", per page'),
  flagged: Count('Unclassified items present before any choice or after "Reject all", per page: to be classified'),
  added: Count('Items not in the site\'s previous finished scan'),
  removed: Count('Items of the previous finished scan not found this time'),
  changed: Count('Items found in both whose category or attributes changed'),
});
export const ScanSchema = Type.Object({
  id: Id, siteId: Id, state: ScanStateSchema,
  trigger: Enum(SCAN_TRIGGERS, '`manual`: started through the API; `schedule`: a scheduled rescan'),
  startUrl: Type.String(), options: ScanOptionsSchema,
  pagesPlanned: Count('Pages the scan means to visit so far (grows as it discovers pages, never above the page budget)'),
  pagesDone: Count('Pages finished, failed ones included'),
  pagesFailed: Count(),
  counts: ScanCountsSchema,
  reason: Nullable(ScanFailureReasonSchema, 'Why it failed or ended early (`interrupted`: the service stopped during the scan); null otherwise'),
  message: Nullable(Type.String(), 'What happened, for a person (e.g. what to install when no browser was found)'),
  createdAt: Timestamp, startedAt: Nullable(Timestamp), finishedAt: Nullable(Timestamp),
}, { description: 'A cookie scan of a site. One scan per site is queued or running at a time.' });

export const ScanPageSchema = Type.Object({
  url: Type.String(),
  depth: Type.Integer({ minimum: 0, description: '0 the start page; 1 pages from the sitemaps or linked from it; 2 linked from those' }),
  state: Enum(SCAN_PAGE_STATES),
  error: Nullable(Type.String(), 'Why the page failed'),
  bannerFound: Type.Boolean({ description: 'The page runs Consentry\'s banner; without it only the `before` pass runs' }),
  passes: Type.Array(ScanPassSchema),
  items: Count('Items seen on this page, all passes'),
  violations: Count(),
  scannedAt: Timestamp,
});
export const CookieAttributesSchema = Type.Object({
  httpOnly: Type.Optional(Type.Boolean()), secure: Type.Optional(Type.Boolean()), sameSite: Type.Optional(Type.String()),
  path: Type.Optional(Type.String()),
  expiresInSeconds: Type.Optional(Nullable(Type.Number(), 'Seconds from the scan; null for a session cookie')),
}, { description: 'Attributes of a cookie as set (cookies only). Names and attributes only, never values.' });
/** The category an item was given, and what gave it. */
export const ClassificationSchema = Type.Object({
  categoryKey: Nullable(CategoryKey, 'The site category it belongs to; null: unclassified, or the site has no category for its purpose'),
  necessary: Type.Boolean({ description: 'Needs no consent: its category is the site\'s required one, or it is known to be necessary' }),
  source: Nullable(Enum(CLASSIFICATION_SOURCES), '`override`: the site\'s inventory or category cookie lists (a person\'s choice); `consentry`/`wordpress`: their own cookies; the tracker catalogue; the Open Cookie Database; null: unclassified'),
  match: Nullable(Type.String(), 'How the name matched: `exact`, `prefix` (a wildcard entry) or `inventory`; null: unclassified'),
  usedFor: Nullable(Type.String(), 'What the source says it is used for (necessary, functional, preferences, statistics, marketing); null: not said'),
  provider: Type.String(), purpose: Type.String({ description: 'What it is for, in a sentence (English)' }), retention: Type.String(),
});
export const ScanItemSchema = Type.Object({
  kind: StorageKindSchema, name: Type.String(), domain: Type.String(),
  attributes: Nullable(CookieAttributesSchema),
  firstPageUrl: Type.String({ description: 'The first page it was seen on' }),
  firstPass: ScanPassSchema,
  passes: Type.Array(ScanPassSchema, { description: 'Every pass it was seen in, on any page' }),
  pages: Count('Pages it was seen on'),
  classification: ClassificationSchema,
  inventoryId: Nullable(Id, 'Its entry in the site\'s cookie inventory'),
});
export const ScanHostSchema = Type.Object({
  host: Type.String(), resourceTypes: Type.Array(Enum(SCAN_HOST_RESOURCE_TYPES)),
  firstPageUrl: Type.String(), firstPass: ScanPassSchema, passes: Type.Array(ScanPassSchema), pages: Count(),
  classification: Type.Object({
    categoryKey: Nullable(CategoryKey), necessary: Type.Boolean(),
    source: Nullable(Enum(CLASSIFICATION_SOURCES), '`tracker-catalogue` for a known tracker\'s host; null otherwise (a CDN, a font host: not judged)'),
    trackerId: Nullable(Type.String()), provider: Type.String(), usedFor: Nullable(Type.String()),
  }),
}, { description: 'A host outside the site\'s domain that pages loaded scripts, iframes, images or beacons from' });
const ViolationPass = Enum(['before', 'reject'] as const, 'before: present before any choice; reject: present after "Reject all"');
export const ScanViolationSchema = Type.Object({
  pageUrl: Type.String(), pass: ViolationPass,
  kind: Enum(SCAN_VIOLATION_KINDS, 'A storage kind, or `host`: a tracker\'s host (the tracker catalogue) a page loaded something from'),
  name: Type.String({ description: 'The item\'s name, or the host' }), domain: Type.String({ description: 'The item\'s domain, or the host' }),
  categoryKey: Nullable(CategoryKey, 'Its category; null when the site has no category for what it is (an analytics cookie on a site without an analytics category)'),
  source: Type.Optional(Enum(CLASSIFICATION_SOURCES, 'What classified it')),
}, {
  description: 'A non-necessary item (known to need consent) present before consent or after "Reject all", on one page. '
    + 'Unclassified items are never violations: nothing says they need consent; the ones seen in those passes are `flagged`, for a person to classify.',
});
export const ScanFlaggedItemSchema = Type.Object({
  pageUrl: Type.String(), pass: ViolationPass, kind: StorageKindSchema, name: Type.String(), domain: Type.String(),
}, { description: 'An unclassified item present before any choice or after "Reject all": not a violation until classified, but to be classified' });
export const ScanDiffEntrySchema = Type.Object({
  change: Enum(SCAN_DIFF_KINDS),
  kind: StorageKindSchema, name: Type.String(), domain: Type.String({ description: 'The domain now (the previous one for a removed item)' }),
  previousDomain: Type.Optional(Type.String({ description: '`changed` with `domain` among its fields: the domain it had (an item that moved to exactly one other domain)' })),
  fields: Type.Array(Type.String(), { description: '`changed` only: what changed (`categoryKey`, `domain`, `httpOnly`, `secure`, `sameSite`, `path`, `expires`, `passes`)' }),
});
export const ScanDetailSchema = Type.Object({
  scan: ScanSchema,
  pages: Type.Array(ScanPageSchema),
  items: Type.Array(ScanItemSchema),
  hosts: Type.Array(ScanHostSchema),
  violations: Type.Array(ScanViolationSchema),
  flagged: Type.Array(ScanFlaggedItemSchema),
  diff: Type.Array(ScanDiffEntrySchema, { description: 'Against the site\'s previous finished scan (completed or partial); empty for the first' }),
}, { description: 'A scan with what it found. Items, hosts, violations, flagged items and diff are filled in when the scan finishes.' });
export const ScanListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  state: Type.Optional(ScanStateSchema),
}, strict);

const InventoryText = (max: number, description: string) => Type.String({ maxLength: max, description });
const inventoryEditable = {
  provider: InventoryText(200, 'Who sets it (a company or the site itself)'),
  purpose: InventoryText(2000, 'What it is for, in English (or the site\'s default language)'),
  retention: InventoryText(100, 'How long it is kept, as people read it (`session`, `1 year`)'),
  categoryKey: Nullable(CategoryKey, 'The site category it belongs to; null: unclassified (never published)'),
  reviewState: ReviewStateSchema,
  translations: KeyedRecord(LanguageTag, Type.Object({
    provider: Type.Optional(ShortText(200)), purpose: Type.Optional(ShortText(2000)), retention: Type.Optional(ShortText(100)),
  }, strict), { maxProperties: 50, description: 'Provider, purpose and retention in other languages, keyed by language tag' }),
};
const InventoryName = Type.String({ minLength: 1, maxLength: 200, description: 'Cookie name, storage key or IndexedDB database name' });
const InventoryDomain = Type.String({ maxLength: 253, description: 'The cookie\'s domain as set (`.example.com`), or the host for storage; empty: the site\'s own' });
export const InventoryEntrySchema = Type.Object({
  id: Id, siteId: Id, kind: StorageKindSchema, name: Type.String(), domain: Type.String(),
  ...inventoryEditable,
  source: InventorySourceSchema,
  firstSeenAt: Nullable(Timestamp, 'First scan that found it; null for a manual entry no scan found'),
  lastSeenAt: Nullable(Timestamp, 'Last scan that found it'),
  lastScanId: Nullable(Id, 'Last scan that found it'),
  createdAt: Timestamp, updatedAt: Timestamp,
}, { description: 'One item of a site\'s cookie inventory, unique by kind, name and domain. Manual entries and people\'s edits survive rescans.' });
export const CreateInventoryBody = Type.Object({
  kind: StorageKindSchema, name: InventoryName, domain: Type.Optional(InventoryDomain),
  ...Object.fromEntries(Object.entries(inventoryEditable).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof typeof inventoryEditable]: ReturnType<typeof Type.Optional<(typeof inventoryEditable)[K]>> },
}, { ...strict, description: 'A manual entry (source `manual`); reviewState defaults to `done` (a person wrote it). 409 if kind, name and domain exist.' });
export const UpdateInventoryBody = Type.Object(
  Object.fromEntries(Object.entries(inventoryEditable).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof typeof inventoryEditable]: ReturnType<typeof Type.Optional<(typeof inventoryEditable)[K]>> },
  { ...strict, minProperties: 1, description: 'At least one field; kind, name and domain cannot change. A rescan keeps what is set here.' },
);
export const InventoryListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  kind: Type.Optional(StorageKindSchema),
  reviewState: Type.Optional(ReviewStateSchema),
  source: Type.Optional(InventorySourceSchema),
  categoryKey: Type.Optional(CategoryKey),
  unclassified: Type.Optional(Type.Boolean({ description: 'true: only entries without a category' })),
}, strict);

/** `data` of `consent.given`, `consent.rejected` and `consent.updated`: the event as recorded. */
export const ConsentWebhookDataSchema = Type.Object({ event: ConsentEventSchema });
/** `data` of `pageview.limit_warning`, sent once per threshold (80, 90, 100 %) per site and month. */
export const PageviewLimitWarningDataSchema = Type.Object({
  site_id: Id, domain: Type.String(), month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' }), threshold_percent: Type.Integer(),
  pageview_count_month: Type.Integer(), plan_limit: Type.Integer(), usage_percent: Type.Number(),
});
/** `data` of `subscription.expiring`, sent once 7 days and once 1 day before the plan's end date. */
export const SubscriptionExpiringDataSchema = Type.Object({
  account_id: Id, plan: PlanSchema, expires_at: Timestamp, days_left: Type.Integer({ description: 'The warning: 7 or 1' }),
});
/** `data` of `subscription.expired`, sent once when the plan's end date passed and the account fell back. */
export const SubscriptionExpiredDataSchema = Type.Object({
  account_id: Id, old_plan: PlanSchema, new_plan: PlanSchema, expires_at: Timestamp,
  expired_at: Timestamp,
});
/** `data` of `scan.completed`: a scan finished, with or without failed pages (`partial`). */
export const ScanCompletedDataSchema = Type.Object({
  scan_id: Id, site_id: Id, domain: Type.String(), state: Enum(['completed', 'partial'] as const), partial: Type.Boolean(),
  trigger: Enum(SCAN_TRIGGERS), reason: Nullable(ScanFailureReasonSchema, 'Why it ended partial early (`interrupted`, `timeout`), else null'),
  counts: Type.Object({
    pages: Count('Pages scanned'), pages_failed: Count(), items: Count(), added: Count(), removed: Count(), changed: Count(),
    unclassified: Count(), violations: Count(),
  }),
  started_at: Nullable(Timestamp), finished_at: Timestamp,
});
/** `data` of `scan.failed`: a scan ended without a result. */
export const ScanFailedDataSchema = Type.Object({
  scan_id: Id, site_id: Id, domain: Type.String(), trigger: Enum(SCAN_TRIGGERS),
  reason: ScanFailureReasonSchema, message: Type.String(), started_at: Nullable(Timestamp), finished_at: Timestamp,
});
/** A count per profile: every profile present, 0 when unused. */
export const ProfileCountsSchema = Type.Object(
  Object.fromEntries(DISPLAY_PROFILES.map((profile) => [profile, Type.Integer({ minimum: 0 })])) as Record<(typeof DISPLAY_PROFILES)[number], ReturnType<typeof Type.Integer>>,
  { description: 'Uses per display-preferences profile' },
);
/**
 * `data` of `a11y.profile_used`: one delivery per site and hour that had uses, after the hour closed, with the hour's
 * counts. Anonymous: nothing in it (or in the store behind it) names a visitor, a consent, a session or an address.
 */
export const A11yProfileUsedDataSchema = Type.Object({
  site_id: Id, domain: Type.String(),
  hour_start: Timestamp, hour_end: Timestamp,
  counts: ProfileCountsSchema, total: Type.Integer({ minimum: 1 }),
});
/** The JSON body of every webhook delivery (signed as sent). */
export const WebhookPayloadSchema = Type.Object({
  id: Type.String(), type: WebhookEventSchema, created_at: Timestamp,
  data: Type.Union([
    ConsentWebhookDataSchema, PageviewLimitWarningDataSchema, SubscriptionExpiringDataSchema, SubscriptionExpiredDataSchema,
    ScanCompletedDataSchema, ScanFailedDataSchema, A11yProfileUsedDataSchema,
  ]),
});

export const Pagination = Type.Object({
  limit: Type.Integer(), offset: Type.Integer(), total: Type.Integer(), nextCursor: Nullable(Type.String()),
});
export const ErrorBody = Type.Object({
  success: Type.Literal(false),
  error: Type.Object({
    code: Enum(ERROR_CODES),
    message: Type.String(),
    details: Nullable(Type.Record(Type.String(), Type.Unknown())),
    request_id: Type.String(),
    documentation_url: Type.String(),
  }),
});

export const ApiKeySchema = Type.Object({
  id: Id, name: Type.String(), hint: Type.String(), mode: KeyModeSchema, createdAt: Timestamp,
  revokedAt: Nullable(Timestamp),
});

/** What `GET /api/v1/banner/{publicKey}` answers: everything a banner needs to render. */
export const BannerCategorySchema = Type.Pick(CategorySchema, [
  'key', 'nameEn', 'descriptionEn', 'translations', 'isRequired', 'isDefault', 'sortOrder', 'wpConsentCategory', 'cookies', 'blockPatterns',
]);
export const BannerConfigSchema = Type.Object({
  siteId: Id, publicKey: Type.String(), config: SiteConfigSchema, categories: Type.Array(BannerCategorySchema),
}, { description: 'Everything a banner needs to render' });

/** `GET /sites/{siteId}/usage`: pageviews this month against the plan limit, and consent choices per day. */
export const UsageReportSchema = Type.Object({
  month: Type.String(), pageviews: Type.Integer(), planLimit: Nullable(Type.Integer()), usagePercent: Type.Number(),
  daily: Type.Array(Type.Object({ date: Type.String(), ...Object.fromEntries(CONSENT_ACTIONS.map((a) => [a, Type.Integer()])) as Record<(typeof CONSENT_ACTIONS)[number], ReturnType<typeof Type.Integer>> })),
});

/** `GET /sites/{siteId}/display-usage`: uses per profile in each bucket of the range, and in the whole range. */
export const DisplayUsageReportSchema = Type.Object({
  from: Timestamp, to: Timestamp, interval: Type.Unsafe<(typeof DISPLAY_USAGE_INTERVALS)[number]>({ type: 'string', enum: [...DISPLAY_USAGE_INTERVALS] }),
  totals: ProfileCountsSchema, total: Type.Integer(),
  buckets: Type.Array(Type.Object({
    start: Timestamp, counts: ProfileCountsSchema, total: Type.Integer(),
  }), { description: 'One per hour or day of the range (UTC), empty ones included, oldest first' }),
});

export type DisplayUsageInput = Static<typeof DisplayUsageBody>;
export type DisplayUsageQueryInput = Static<typeof DisplayUsageQuery>;

/**
 * The plugin's `GET consentry/v1/connection/guide` (manage_options): this host's facts for the Connection screen's
 * set-up steps. Nothing secret. The commands and the systemd unit are made from them in the admin app.
 */
export const ConnectionGuideSchema = Type.Object({
  bundlePath: Type.String({ description: 'Absolute path of the service bundle inside this WordPress (the plugin\'s service/consentry-service.mjs)' }),
  bundleFound: Type.Boolean({ description: 'Whether that file is there and readable' }),
  nodeMin: Nullable(Type.String({ pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$' }), 'The Node.js version the bundle needs, read from its header; null when it cannot be read'),
  siteDomain: Type.String({ description: 'This site\'s host (and port) as the service names it' }),
  serviceUnit: Nullable(Type.String(), 'The systemd unit shipped in the plugin (service/consentry.service), as it is; null when missing'),
  visitorEndpoints: Type.Object({ consent: Type.String(), heartbeat: Type.String() }, { ...strict, description: 'Where a visitor\'s banner sends choices and pageviews' }),
  directToService: Type.Boolean({ description: 'Whether the banner calls the service directly instead of this site\'s routes' }),
}, strict);

/** One step of the Connection screen's Check. */
export const ConnectionCheckResultSchema = Type.Object({
  step: Enum(CONNECTION_CHECK_STEPS),
  state: Enum(CONNECTION_CHECK_STATES),
  summary: Type.String({ description: 'What was found, in the admin\'s language' }),
  detail: Type.String({ description: 'More of what was found; may be empty' }),
  hint: Type.String({ description: 'How to fix it; empty when the step passed' }),
}, strict);
/** The plugin's `GET consentry/v1/connection/check` (manage_options): the steps WordPress runs, in order. */
export const ConnectionCheckSchema = Type.Object({ checkedAt: Timestamp, steps: Type.Array(ConnectionCheckResultSchema) }, strict);

export type CreateSiteInput = Static<typeof CreateSiteBody>;
export type UpdateSiteInput = Static<typeof UpdateSiteBody>;
export type CreateCategoryInput = Static<typeof CreateCategoryBody>;
export type UpdateCategoryInput = Static<typeof UpdateCategoryBody>;
export type ReorderInput = Static<typeof ReorderBody>;
export type RecordConsentInput = Static<typeof RecordConsentBody>;
export type VisitorConsentInput = Static<typeof VisitorConsentBody>;
export type HeartbeatInput = Static<typeof HeartbeatBody>;
export type EventListInput = Static<typeof EventListQuery>;
export type ExportInput = Static<typeof ExportQuery>;
export type AuditListInput = Static<typeof AuditQuery>;
export type CreateScanInput = Static<typeof CreateScanBody>;
export type ScanListInput = Static<typeof ScanListQuery>;
export type CreateInventoryInput = Static<typeof CreateInventoryBody>;
export type UpdateInventoryInput = Static<typeof UpdateInventoryBody>;
export type InventoryListInput = Static<typeof InventoryListQuery>;
export type ScanScheduleInput = Static<typeof ScanScheduleBody>;
export type SchemaType = TSchema;
