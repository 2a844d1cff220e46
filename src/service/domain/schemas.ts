/**
 * The shapes of the API, written once: they validate requests (through
 * Fastify's ajv), generate the OpenAPI document and give the TypeScript types.
 * Objects reject unknown fields (`additionalProperties: false`) everywhere.
 */
import Type, { type Static, type TSchema } from 'typebox';
import {
  BANNER_LAYOUTS, BANNER_POSITIONS, CATEGORY_KEY_PATTERN, CONSENT_ACTIONS, CONSENT_ID_PATTERN, DELIVERY_STATES, ERROR_CODES,
  KEY_MODES, PLANS, SITE_STATUSES, WEBHOOK_EVENTS, WP_CONSENT_CATEGORIES,
} from '#shared/consent.ts';

const strict = { additionalProperties: false } as const;
const Enum = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' });
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC' });
export const LanguageTag = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 });
export const HttpUrl = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048 });
export const Domain = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: '^(localhost|[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)(:[0-9]{1,5})?$',
  description: 'Host name without scheme or path, optionally with a port (`example.com`, `localhost:8888`).',
});
const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: 'Hex colour `#rrggbb`' });
const ShortText = (max: number) => Type.String({ maxLength: max });

export const CategoryKey = Type.String({ pattern: CATEGORY_KEY_PATTERN, description: 'Lower-case letters, digits and `_`, 1 to 50 long' });
export const ConsentActionSchema = Enum(CONSENT_ACTIONS);
export const PlanSchema = Enum(PLANS);

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
}, strict);

export const SiteConfigSchema = Type.Object({
  policyVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9._-]+$' })),
  consentLifetimeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 395 })),
  defaultLanguage: Type.Optional(LanguageTag),
  texts: Type.Optional(Type.Record(LanguageTag, BannerTextsSchema)),
  colors: Type.Optional(Type.Object({
    background: Type.Optional(Color), text: Type.Optional(Color), primary: Type.Optional(Color), primaryText: Type.Optional(Color),
  }, strict)),
  position: Type.Optional(Enum(BANNER_POSITIONS)),
  layout: Type.Optional(Enum(BANNER_LAYOUTS)),
  cookieDomain: Type.Optional(Type.String({ maxLength: 253, pattern: '^\\.?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$' })),
  floatingButton: Type.Optional(Type.Boolean()),
}, { ...strict, description: 'Banner configuration; every field optional, defaults filled in by the banner.' });

const Translations = Type.Record(LanguageTag, Type.Object({
  name: Type.Optional(ShortText(100)), description: Type.Optional(ShortText(2000)),
}, strict));
const CookieNames = Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\s;,=]+$' }), { maxItems: 100 });
const BlockPatterns = Type.Array(Type.String({ minLength: 3, maxLength: 300 }), { maxItems: 100 });

const categoryFields = {
  nameEn: Type.String({ minLength: 1, maxLength: 100 }),
  descriptionEn: ShortText(2000),
  translations: Translations,
  isRequired: Type.Boolean(),
  isDefault: Type.Boolean(),
  wpConsentCategory: Enum(WP_CONSENT_CATEGORIES),
  cookies: CookieNames,
  blockPatterns: BlockPatterns,
};

export const CategorySchema = Type.Object({
  id: Id, siteId: Id, key: CategoryKey, ...categoryFields, sortOrder: Type.Integer(), createdAt: Timestamp, updatedAt: Timestamp,
});
/** Every changeable field of a category, optional: what a patch may carry, and a create besides its key and name. */
const optionalCategoryFields = Object.fromEntries(Object.entries(categoryFields).map(([name, schema]) => [name, Type.Optional(schema)])) as {
  [K in keyof typeof categoryFields]: ReturnType<typeof Type.Optional<(typeof categoryFields)[K]>>;
};
export const CreateCategoryBody = Type.Object({ ...optionalCategoryFields, key: CategoryKey, nameEn: categoryFields.nameEn }, strict);
export const UpdateCategoryBody = Type.Object(optionalCategoryFields, { ...strict, minProperties: 1 });
export const ReorderBody = Type.Object({
  order: Type.Array(Type.Object({ id: Id, sortOrder: Type.Integer({ minimum: 0, maximum: 10000 }) }, strict), { minItems: 1, maxItems: 200 }),
}, strict);

export const SiteSchema = Type.Object({
  id: Id, name: Type.String(), domain: Type.String(), status: Enum(SITE_STATUSES),
  publicKey: Type.String(), config: SiteConfigSchema, createdAt: Timestamp, updatedAt: Timestamp,
});
export const CreateSiteBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  domain: Domain,
  config: Type.Optional(SiteConfigSchema),
}, strict);
export const UpdateSiteBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  domain: Type.Optional(Domain),
  config: Type.Optional(SiteConfigSchema),
  status: Type.Optional(Enum(SITE_STATUSES)),
}, { ...strict, minProperties: 1, description: 'At least one field. `config`, when given, replaces the whole configuration.' });

const Choices = Type.Record(CategoryKey, Type.Boolean(), { maxProperties: 50, description: 'Choice per category key' });
const consentFields = {
  consentId: Type.String({ minLength: 8, maxLength: 64, pattern: CONSENT_ID_PATTERN, description: 'Random id of the visitor\'s consent, kept in the consent cookie' }),
  action: ConsentActionSchema,
  categories: Choices,
  policyVersion: Type.String({ minLength: 1, maxLength: 32 }),
  language: Type.Optional(LanguageTag),
  pageUrl: Type.Optional(HttpUrl),
  gpc: Type.Optional(Type.Boolean({ description: 'Global Privacy Control signal was on' })),
};
export const ConsentEventSchema = Type.Object({
  id: Id, siteId: Id, consentId: Type.String(), action: ConsentActionSchema, categories: Type.Record(Type.String(), Type.Boolean()),
  policyVersion: Type.String(), language: Type.Union([Type.String(), Type.Null()]), pageUrl: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]), ipAnonymized: Type.Union([Type.String(), Type.Null()]),
  gpc: Type.Boolean(), test: Type.Boolean(), createdAt: Timestamp,
});
export const RecordConsentBody = Type.Object({ siteId: Id, ...consentFields }, strict);
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
export const ConsentIdParam = Type.String({ minLength: 8, maxLength: 64, pattern: CONSENT_ID_PATTERN });

export const HeartbeatBody = Type.Object({
  api_key: Type.Optional(Type.String({ maxLength: 100 })),
  siteId: Type.Optional(Id),
  session_id: Type.String({ minLength: 8, maxLength: 64, pattern: CONSENT_ID_PATTERN }),
  page_url: HttpUrl,
  referrer: Type.Optional(Type.String({ maxLength: 2048 })),
}, strict);
export const HeartbeatResponse = Type.Object({
  success: Type.Literal(true),
  pageview_count_month: Type.Integer(),
  plan_limit: Type.Union([Type.Integer(), Type.Null()], { description: 'null when the plan has no pageview limit' }),
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
  status: Type.Optional(Enum(SITE_STATUSES)),
}, strict);
export const UsageQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })) }, strict);

export const AccountSchema = Type.Object({
  id: Id, name: Type.String(), plan: PlanSchema,
  email: Type.Union([Type.String(), Type.Null()], { description: 'Masked: u***@example.com' }),
  ipAllowlist: Type.Array(Type.String()), createdAt: Timestamp,
});
export const AllowlistBody = Type.Object({
  entries: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50, description: 'IPv4/IPv6 addresses or CIDR ranges; empty allows any address' }),
}, strict);
export const CreateKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  mode: Type.Optional(Enum(KEY_MODES, 'test keys mark their data as test; it never counts toward quotas')),
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
  id: Id, keyId: Type.Union([Type.String(), Type.Null()]), method: Type.String(), route: Type.String(), path: Type.String(),
  status: Type.Integer(), ipAnonymized: Type.Union([Type.String(), Type.Null()]), requestId: Type.String(), durationMs: Type.Number(),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]), createdAt: Timestamp,
});

const WebhookEvents = Type.Array(Enum(WEBHOOK_EVENTS), { minItems: 1, maxItems: WEBHOOK_EVENTS.length });
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
  id: Id, url: Type.String(), description: Type.String(), events: Type.Array(Type.String()), enabled: Type.Boolean(),
  createdAt: Timestamp, updatedAt: Timestamp,
});
export const WebhookDeliverySchema = Type.Object({
  id: Id, endpointId: Id, eventType: Type.String(), payload: Type.String({ description: 'The exact signed body' }),
  state: Enum(DELIVERY_STATES), attempts: Type.Integer(), maxAttempts: Type.Integer(),
  nextAttemptAt: Type.Union([Timestamp, Type.Null()]), lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]), createdAt: Timestamp, updatedAt: Timestamp,
});

export const Pagination = Type.Object({
  limit: Type.Integer(), offset: Type.Integer(), total: Type.Integer(), nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export const ErrorBody = Type.Object({
  success: Type.Literal(false),
  error: Type.Object({
    code: Enum(ERROR_CODES),
    message: Type.String(),
    details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    request_id: Type.String(),
    documentation_url: Type.String(),
  }),
});

export const ApiKeySchema = Type.Object({
  id: Id, name: Type.String(), hint: Type.String(), mode: Enum(KEY_MODES), createdAt: Timestamp,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
});

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
export type SchemaType = TSchema;
