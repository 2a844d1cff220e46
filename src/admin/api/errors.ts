// The one shape of a failed request that the screens show (message, detail, field errors).
import { __ } from '@wordpress/i18n';

/** An error from a route, normalised for the screens. */
export interface AdminError {
	/** What to show. */
	message: string;
	/** The plugin's own words under the message, when they add something. */
	detail: string;
	/** WordPress error code (consentry_service_error …). */
	code: string;
	/** HTTP status (0 when nothing answered). */
	status: number;
	/** The service's error code, when it answered one. */
	serviceCode: string;
	/** Field path -> message (service 422 details or WordPress arg errors). */
	fields: Record< string, string >;
}

/** What apiFetch rejects with: a WordPress REST error body, or its own fetch_error / invalid_json. */
interface RestError {
	code?: string;
	message?: string;
	data?: {
		status?: number;
		serviceCode?: string;
		details?: { fields?: Array< { field?: string; message?: string } > };
		params?: Record< string, string >;
	};
}

/** Turns whatever a request rejected with into an AdminError. */
export function toAdminError( thrown: unknown ): AdminError {
	const error: RestError =
		thrown && typeof thrown === 'object' ? ( thrown as RestError ) : {};
	const data = error.data || {};
	const status = Number( data.status ) || 0;
	const code = error.code || 'unknown_error';
	const fields: Record< string, string > = {};
	const details = Array.isArray( data.details?.fields )
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
	let message = error.message || __( 'Something went wrong.', 'consentry' );
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

/** What a catch caught, as an AdminError (requests already throw one; anything else is wrapped). */
export function asAdminError( thrown: unknown ): AdminError {
	const error = thrown as Partial< AdminError > | null;
	return error &&
		typeof error === 'object' &&
		typeof error.message === 'string' &&
		typeof error.code === 'string' &&
		typeof error.fields === 'object'
		? ( error as AdminError )
		: toAdminError( thrown );
}
