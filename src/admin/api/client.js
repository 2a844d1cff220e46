// Every request of the admin app goes through this folder (one place that
// knows the plugin's REST routes and turns their errors into one shape).
import apiFetch from '@wordpress/api-fetch';
import { __ } from '@wordpress/i18n';
import { boot } from '../boot.js';

/**
 * An error from a route, normalised for the screens.
 *
 * @typedef {Object} AdminError
 * @property {string}                message       What to show.
 * @property {string}                code          WordPress error code (consentry_service_error …).
 * @property {number}                status        HTTP status (0 when nothing answered).
 * @property {string}                [serviceCode] The service's error code, when it answered one.
 * @property {Object<string,string>} fields        Field path -> message (service 422 details or WordPress arg errors).
 */

/**
 * Turns whatever apiFetch rejected with into an AdminError.
 *
 * @param {any} error
 * @return {AdminError} Normalised error.
 */
export function toAdminError( error ) {
	const data = ( error && error.data ) || {};
	const status = Number( data.status ) || 0;
	const code = ( error && error.code ) || 'unknown_error';
	const fields = {};
	const details =
		data.details && Array.isArray( data.details.fields )
			? data.details.fields
			: [];
	for ( const item of details ) {
		if ( item && item.field ) {
			fields[ String( item.field ).replace( /^\/|^body\//, '' ) ] =
				String( item.message || '' );
		}
	}
	// WordPress's own argument validation: data.params = { name: message }.
	if ( data.params && typeof data.params === 'object' ) {
		for ( const [ field, message ] of Object.entries( data.params ) ) {
			fields[ field ] = String( message );
		}
	}
	let message =
		( error && error.message ) ||
		__( 'Something went wrong.', 'consentry' );
	if ( code === 'consentry_service_unavailable' ) {
		message = __(
			'The Consentry service did not answer. Check that it is running and reachable from WordPress, then try again.',
			'consentry'
		);
	} else if ( code === 'consentry_not_connected' && ! error.message ) {
		message = __(
			'Connect this site to a Consentry service first.',
			'consentry'
		);
	} else if ( code === 'fetch_error' ) {
		message = __(
			'WordPress did not answer. Check your network connection and try again.',
			'consentry'
		);
	} else if ( code === 'invalid_json' ) {
		message = __(
			'WordPress answered with something that is not JSON. Check the server error log.',
			'consentry'
		);
	}
	return {
		message,
		detail:
			code === 'consentry_service_unavailable' && error.message
				? error.message
				: '',
		code,
		status,
		serviceCode: data.serviceCode || '',
		fields,
	};
}

/**
 * One request to the plugin's namespace.
 *
 * @param {string} path    Below /consentry/v1 (starts with /).
 * @param {Object} options apiFetch options (method, data).
 * @return {Promise<any>} Parsed answer; rejects with an AdminError.
 */
async function request( path, options = {} ) {
	try {
		return await apiFetch( {
			path: `${ boot.restRoot }${ path }`,
			...options,
		} );
	} catch ( error ) {
		throw toAdminError( error );
	}
}

/**
 * @param {Object<string, any>} params
 * @return {string} "?a=1&b=2" without empty values.
 */
function query( params ) {
	const search = new URLSearchParams();
	for ( const [ key, value ] of Object.entries( params ) ) {
		if ( value !== undefined && value !== null && value !== '' ) {
			search.set( key, String( value ) );
		}
	}
	const text = search.toString();
	return text ? `?${ text }` : '';
}

// Connection
export const getConnection = () => request( '/admin/connection' );
export const connect = ( serviceUrl, secretKey ) =>
	request( '/admin/connection', {
		method: 'POST',
		data: { serviceUrl, secretKey },
	} );
export const testConnection = ( credentials = {} ) =>
	request( '/admin/connection/test', { method: 'POST', data: credentials } );
export const disconnect = () =>
	request( '/admin/connection', { method: 'DELETE' } );

// Site and banner
export const getSite = () => request( '/admin/site' );
export const saveSiteConfig = ( config ) =>
	request( '/admin/site', { method: 'PATCH', data: { config } } );

// Categories
export const listCategories = () => request( '/admin/categories' );
export const createCategory = ( fields ) =>
	request( '/admin/categories', { method: 'POST', data: fields } );
export const updateCategory = ( id, fields ) =>
	request( `/admin/categories/${ encodeURIComponent( id ) }`, {
		method: 'PATCH',
		data: fields,
	} );
export const deleteCategory = ( id ) =>
	request( `/admin/categories/${ encodeURIComponent( id ) }`, {
		method: 'DELETE',
	} );
export const reorderCategories = ( order ) =>
	request( '/admin/categories/reorder', { method: 'PUT', data: { order } } );

// Consent log
export const listEvents = ( {
	limit = 50,
	offset = 0,
	action,
	from,
	to,
} = {} ) =>
	request( `/admin/events${ query( { limit, offset, action, from, to } ) }` );

/**
 * The CSV export as a plain link: the REST nonce rides in `_wpnonce` because
 * a link cannot send the X-WP-Nonce header. `?rest_route=` works with and
 * without pretty permalinks.
 *
 * @param {Object} filters          Filters of the list.
 * @param {string} [filters.action] Action.
 * @param {string} [filters.from]   ISO time, inclusive.
 * @param {string} [filters.to]     ISO time, exclusive.
 * @return {string} URL.
 */
export function exportEventsUrl( { action, from, to } = {} ) {
	const nonce =
		( apiFetch.nonceMiddleware && apiFetch.nonceMiddleware.nonce ) ||
		( window.wpApiSettings && window.wpApiSettings.nonce ) ||
		'';
	const base = boot.siteUrl || '/';
	const params = query( { action, from, to, _wpnonce: nonce } ).replace(
		/^\?/,
		'&'
	);
	return `${ base }${ base.includes( '?' ) ? '&' : '?' }rest_route=${ boot.restRoot }/admin/events/export${ params }`;
}

// Usage
export const getUsage = ( days = 30 ) =>
	request( `/admin/usage${ query( { days } ) }` );

// Webhooks (endpoints of the service account; create and rotate answer the signing secret once)
export const listWebhooks = () => request( '/admin/webhooks' );
export const createWebhook = ( fields ) =>
	request( '/admin/webhooks', { method: 'POST', data: fields } );
export const updateWebhook = ( id, fields ) =>
	request( `/admin/webhooks/${ encodeURIComponent( id ) }`, {
		method: 'PATCH',
		data: fields,
	} );
export const deleteWebhook = ( id ) =>
	request( `/admin/webhooks/${ encodeURIComponent( id ) }`, {
		method: 'DELETE',
	} );
export const rotateWebhookSecret = ( id ) =>
	request( `/admin/webhooks/${ encodeURIComponent( id ) }/rotate-secret`, {
		method: 'POST',
	} );
export const listWebhookDeliveries = ( id, { limit = 20, offset = 0 } = {} ) =>
	request(
		`/admin/webhooks/${ encodeURIComponent(
			id
		) }/deliveries${ query( { limit, offset } ) }`
	);
export const redeliverWebhook = ( id, deliveryId ) =>
	request(
		`/admin/webhooks/${ encodeURIComponent(
			id
		) }/deliveries/${ encodeURIComponent( deliveryId ) }/redeliver`,
		{ method: 'POST' }
	);
