// What the plugin's admin routes answer. The service's shapes are the shared
// ones (src/shared); the rest are the plugin's own envelopes.
import type {
	Category,
	ConnectionCheck,
	ConnectionCheckResult,
	ConnectionGuide,
	ConsentAction,
	ConsentEvent,
	InventoryEntry,
	DisplayUsageReport,
	Pagination,
	Scan,
	ScanDetail,
	Site,
	SiteConfig,
	UsageReport,
	WebhookDelivery,
	WebhookEndpoint,
} from '#shared/consent.ts';
import type {
	CreateCategoryInput,
	CreateInventoryInput,
	CreateScanInput,
	ReorderInput,
	ScanScheduleInput,
	UpdateCategoryInput,
	UpdateInventoryInput,
} from '#shared/schemas.ts';

/** GET /admin/connection: the stored link (never the secret key, only its hint). */
export interface Connection {
	connected: boolean;
	serviceUrl?: string;
	siteId?: string | null;
	publicKey?: string | null;
	secretKeyHint?: string | null;
	siteDomain?: string;
}

/** POST /admin/connection/test. */
export interface ConnectionTest {
	ok: boolean;
	version: string;
	latencyMs: number;
}

export interface Credentials {
	serviceUrl?: string;
	secretKey?: string;
}

/** An offset-paged list of the service. */
export interface Page< T > {
	data: T[];
	pagination: Pagination;
}

/** GET and PATCH /admin/site. */
export interface SiteAnswer {
	site: Site;
	categories?: Category[];
}

/** What a category form sends: a patch, and the key when creating. */
export type CategoryFields = UpdateCategoryInput &
	Partial< Pick< CreateCategoryInput, 'key' > >;

export type CategoryOrder = ReorderInput[ 'order' ];

export interface EventFilters {
	action?: ConsentAction;
	/** ISO time, inclusive. */
	from?: string;
	/** ISO time, exclusive. */
	to?: string;
}

export type WebhookFields = Partial<
	Pick< WebhookEndpoint, 'url' | 'description' | 'events' | 'enabled' >
>;

/** Create and rotate answer the signing secret, once. */
export interface WebhookWithSecret {
	endpoint: WebhookEndpoint;
	secret: string;
}

/** What the Scanner screen starts a scan with (the plugin fills in the home page when there is no start URL). */
export type ScanStart = CreateScanInput;

/** A change of the site's scheduled rescans. */
export type ScanScheduleFields = ScanScheduleInput;

/** A manual inventory entry, and a change of any entry. */
export type NewInventoryFields = CreateInventoryInput;
export type InventoryFields = UpdateInventoryInput;

/** GET and PATCH /admin/declaration: what the cookie declaration publishes, and the policy-bump switch. */
export interface DeclarationStatus {
	/** Reviewed items the declaration prints. */
	published: number;
	/** When the plugin last fetched the inventory for it (ISO), null before the first time. */
	fetchedAt: string | null;
	/** The last automatic policy-version bump. */
	lastBump: { version: string; at: string } | null;
	bumpPolicyOnNewItems: boolean;
	shortcode: string;
}

export type {
	Category,
	ConnectionCheck,
	ConnectionCheckResult,
	ConnectionGuide,
	ConsentEvent,
	InventoryEntry,
	Scan,
	ScanDetail,
	DisplayUsageReport,
	Site,
	SiteConfig,
	UsageReport,
	WebhookDelivery,
	WebhookEndpoint,
};
