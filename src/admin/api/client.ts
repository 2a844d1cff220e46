// Every request of the admin app goes through this folder (one place that
// knows the plugin's REST routes and turns their errors into one shape, errors.ts).
import apiFetch from '@wordpress/api-fetch';
import type { APIFetchOptions } from '@wordpress/api-fetch';
import { boot } from '../boot.ts';
import type { VisitorProbe } from '../setup-guide.ts';
import { toAdminError } from './errors.ts';
import type {
	Category,
	CategoryFields,
	CategoryOrder,
	Connection,
	ConnectionCheck,
	ConnectionGuide,
	ConnectionTest,
	ConsentEvent,
	Credentials,
	DeclarationStatus,
	DisplayUsageReport,
	EventFilters,
	InventoryEntry,
	InventoryFields,
	NewInventoryFields,
	Page,
	Scan,
	ScanDetail,
	ScanScheduleFields,
	ScanStart,
	SiteAnswer,
	SiteConfig,
	UsageReport,
	WebhookDelivery,
	WebhookEndpoint,
	WebhookFields,
	WebhookWithSecret,
} from './types.ts';

// The screens import everything of the API from here, errors included.
export { asAdminError, toAdminError } from './errors.ts';
export type { AdminError } from './errors.ts';

/** One request to the plugin's namespace; rejects with an AdminError. */
async function request< T >(
	path: string,
	options: Omit< APIFetchOptions< true >, 'path' > = {}
): Promise< T > {
	try {
		return await apiFetch< T >( {
			path: `${ boot.restRoot }${ path }`,
			...options,
		} );
	} catch ( error ) {
		throw toAdminError( error );
	}
}

type QueryValue = string | number | undefined | null;

/** "?a=1&b=2" without empty values. */
function query( params: Record< string, QueryValue > ): string {
	const search = new URLSearchParams();
	for ( const [ key, value ] of Object.entries( params ) ) {
		if ( value !== undefined && value !== null && value !== '' ) {
			search.set( key, String( value ) );
		}
	}
	const text = search.toString();
	return text ? `?${ text }` : '';
}

const item = ( base: string, id: string, rest = '' ) =>
	`${ base }/${ encodeURIComponent( id ) }${ rest }`;

// Connection
export const getConnection = () => request< Connection >( '/admin/connection' );
export const connect = ( serviceUrl: string, secretKey: string ) =>
	request< Connection >( '/admin/connection', {
		method: 'POST',
		data: { serviceUrl, secretKey },
	} );
export const testConnection = ( credentials: Credentials = {} ) =>
	request< ConnectionTest >( '/admin/connection/test', {
		method: 'POST',
		data: credentials,
	} );
export const disconnect = () =>
	request< Pick< Connection, 'connected' > >( '/admin/connection', {
		method: 'DELETE',
	} );

/** This host's facts for the set-up steps. */
export const getSetupGuide = () =>
	request< ConnectionGuide >( '/connection/guide' );
/** The Check's steps that WordPress runs. */
export const checkConnection = () =>
	request< ConnectionCheck >( '/connection/check' );

/**
 * The Check's own step: calls a visitor route (`url`, from the guide) the way the
 * banner does (a JSON POST with same-origin credentials; without a REST nonce
 * WordPress answers it as a visitor), with an empty object that records nothing.
 * Resolves with the status and the error code of the answer (WordPress's `code` or
 * the service's `error.code`), or with `network` when nothing answered.
 *
 * @param url The route's URL.
 */
export async function probeVisitorRoute( url: string ): Promise< VisitorProbe > {
	let response: Response;
	try {
		response = await window.fetch( url, {
			method: 'POST',
			credentials: 'same-origin',
			cache: 'no-store',
			headers: { 'Content-Type': 'application/json' },
			body: '{}',
		} );
	} catch {
		return { status: 0, code: '', network: true };
	}
	let code = '';
	try {
		const body = await response.json();
		code = String( body?.code ?? body?.error?.code ?? '' );
	} catch {
		// Not JSON: no code.
	}
	return { status: response.status, code };
}

// Site and banner
export const getSite = () => request< SiteAnswer >( '/admin/site' );
export const saveSiteConfig = ( config: SiteConfig ) =>
	request< SiteAnswer >( '/admin/site', {
		method: 'PATCH',
		data: { config },
	} );
export const saveScanSchedule = ( scanSchedule: ScanScheduleFields ) =>
	request< SiteAnswer >( '/admin/site', {
		method: 'PATCH',
		data: { scanSchedule },
	} );

// Categories
const CATEGORIES = '/admin/categories';
export const listCategories = () =>
	request< { data: Category[] } >( CATEGORIES );
export const createCategory = ( fields: CategoryFields ) =>
	request< { category: Category } >( CATEGORIES, {
		method: 'POST',
		data: fields,
	} );
export const updateCategory = ( id: string, fields: CategoryFields ) =>
	request< { category: Category } >( item( CATEGORIES, id ), {
		method: 'PATCH',
		data: fields,
	} );
export const deleteCategory = ( id: string ) =>
	request< null >( item( CATEGORIES, id ), { method: 'DELETE' } );
export const reorderCategories = ( order: CategoryOrder ) =>
	request< { data: Category[] } >( `${ CATEGORIES }/reorder`, {
		method: 'PUT',
		data: { order },
	} );

// Consent log
export const listEvents = ( {
	limit = 50,
	offset = 0,
	action,
	from,
	to,
}: EventFilters & { limit?: number; offset?: number } = {} ) =>
	request< Page< ConsentEvent > >(
		`/admin/events${ query( { limit, offset, action, from, to } ) }`
	);

/**
 * The CSV export as a plain link: the REST nonce rides in `_wpnonce` because
 * a link cannot send the X-WP-Nonce header. `?rest_route=` works with and
 * without pretty permalinks.
 */
export function exportEventsUrl( { action, from, to }: EventFilters = {} ) {
	const nonce =
		apiFetch.nonceMiddleware?.nonce || window.wpApiSettings?.nonce || '';
	const base = boot.siteUrl || '/';
	const params = query( { action, from, to, _wpnonce: nonce } ).replace(
		/^\?/,
		'&'
	);
	return `${ base }${ base.includes( '?' ) ? '&' : '?' }rest_route=${ boot.restRoot }/admin/events/export${ params }`;
}

// Usage
export const getUsage = ( days = 30 ) =>
	request< UsageReport >( `/admin/usage${ query( { days } ) }` );
/** Anonymous uses of each display-preferences profile, per hour or day (default: the last 30 days). */
export const getDisplayUsage = (
	range: { from?: string; to?: string; interval?: 'hour' | 'day' } = {}
) =>
	request< DisplayUsageReport >(
		`/admin/display-usage${ query( range ) }`
	);

// Webhooks (endpoints of the service account; create and rotate answer the signing secret once)
const WEBHOOKS = '/admin/webhooks';
export const listWebhooks = () =>
	request< { data: WebhookEndpoint[] } >( WEBHOOKS );
export const createWebhook = ( fields: WebhookFields ) =>
	request< WebhookWithSecret >( WEBHOOKS, { method: 'POST', data: fields } );
export const updateWebhook = ( id: string, fields: WebhookFields ) =>
	request< { endpoint: WebhookEndpoint } >( item( WEBHOOKS, id ), {
		method: 'PATCH',
		data: fields,
	} );
export const deleteWebhook = ( id: string ) =>
	request< null >( item( WEBHOOKS, id ), { method: 'DELETE' } );
export const rotateWebhookSecret = ( id: string ) =>
	request< WebhookWithSecret >( item( WEBHOOKS, id, '/rotate-secret' ), {
		method: 'POST',
	} );
export const listWebhookDeliveries = (
	id: string,
	{ limit = 20, offset = 0 }: { limit?: number; offset?: number } = {}
) =>
	request< Page< WebhookDelivery > >(
		item( WEBHOOKS, id, `/deliveries${ query( { limit, offset } ) }` )
	);
export const redeliverWebhook = ( id: string, deliveryId: string ) =>
	request< { delivery: WebhookDelivery } >(
		item(
			WEBHOOKS,
			id,
			`/deliveries/${ encodeURIComponent( deliveryId ) }/redeliver`
		),
		{ method: 'POST' }
	);

// Cookie scanner: scans run in the service; the inventory is what the cookie declaration publishes once reviewed.
const SCANS = '/admin/scans';
export const listScans = ( { limit = 5, offset = 0 } = {} ) =>
	request< Page< Scan > >( `${ SCANS }${ query( { limit, offset } ) }` );
export const startScan = ( fields: ScanStart ) =>
	request< { scan: Scan } >( SCANS, { method: 'POST', data: fields } );
export const getScan = ( id: string ) =>
	request< ScanDetail >( item( SCANS, id ) );
export const cancelScan = ( id: string ) =>
	request< { scan: Scan } >( item( SCANS, id, '/cancel' ), {
		method: 'POST',
	} );

const COOKIES = '/admin/cookies';
/** The whole inventory, page after page (the service answers 100 at most a page). */
export async function listInventory(): Promise< InventoryEntry[] > {
	const entries: InventoryEntry[] = [];
	for ( let offset = 0; ; offset += 100 ) {
		const page = await request< Page< InventoryEntry > >(
			`${ COOKIES }${ query( { limit: 100, offset } ) }`
		);
		entries.push( ...page.data );
		if (
			page.data.length < 100 ||
			entries.length >= page.pagination.total
		) {
			return entries;
		}
	}
}
export const createInventoryEntry = ( fields: NewInventoryFields ) =>
	request< { cookie: InventoryEntry } >( COOKIES, {
		method: 'POST',
		data: fields,
	} );
export const updateInventoryEntry = ( id: string, fields: InventoryFields ) =>
	request< { cookie: InventoryEntry } >( item( COOKIES, id ), {
		method: 'PATCH',
		data: fields,
	} );
export const deleteInventoryEntry = ( id: string ) =>
	request< null >( item( COOKIES, id ), { method: 'DELETE' } );

// The cookie declaration (shortcode and block) and its policy-bump switch.
export const getDeclaration = () =>
	request< DeclarationStatus >( '/admin/declaration' );
export const setBumpPolicyOnNewItems = ( bumpPolicyOnNewItems: boolean ) =>
	request< DeclarationStatus >( '/admin/declaration', {
		method: 'PATCH',
		data: { bumpPolicyOnNewItems },
	} );
