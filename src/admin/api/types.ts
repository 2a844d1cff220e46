// What the plugin's admin routes answer. Service shapes (Category, Site, ConsentEvent, …)
// are the shared ones; the rest are the plugin's own envelopes and the shapes
// src/shared does not describe yet.
import type {
	Category,
	ConsentAction,
	ConsentEvent,
	DeliveryState,
	Site,
	SiteConfig,
	WebhookEventType,
} from '#shared/consent.ts';

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
	pagination: {
		limit: number;
		offset: number;
		total: number;
		nextCursor: string | null;
	};
}

export interface SiteAnswer {
	site: Site;
	categories?: Category[];
}

/** The changeable fields of a category; `key` only when creating. */
export type CategoryFields = Partial<
	Pick<
		Category,
		| 'nameEn'
		| 'descriptionEn'
		| 'translations'
		| 'isDefault'
		| 'wpConsentCategory'
		| 'cookies'
		| 'blockPatterns'
	>
> & { key?: string };

export interface EventFilters {
	action?: ConsentAction;
	/** ISO time, inclusive. */
	from?: string;
	/** ISO time, exclusive. */
	to?: string;
}

/** Pageviews this month and choices per day (GET /admin/usage). */
export interface UsageReport {
	month: string;
	pageviews: number;
	planLimit: number | null;
	usagePercent: number;
	daily: Array< { date: string } & Record< ConsentAction, number > >;
}

export interface WebhookEndpoint {
	id: string;
	url: string;
	description: string;
	events: WebhookEventType[];
	enabled: boolean;
	createdAt: string;
	updatedAt: string;
}

export type WebhookFields = Partial<
	Pick< WebhookEndpoint, 'url' | 'description' | 'events' | 'enabled' >
>;

/** Create and rotate answer the signing secret, once. */
export interface WebhookWithSecret {
	endpoint: WebhookEndpoint;
	secret: string;
}

export interface WebhookDelivery {
	id: string;
	endpointId: string;
	eventType: WebhookEventType;
	payload: string;
	state: DeliveryState;
	attempts: number;
	maxAttempts: number;
	nextAttemptAt: string | null;
	lastStatus: number | null;
	lastError: string | null;
	createdAt: string;
	updatedAt: string;
}

export type { Category, ConsentEvent, Site, SiteConfig };
