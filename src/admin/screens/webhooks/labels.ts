import { __ } from '@wordpress/i18n';
import { WEBHOOK_EVENTS } from '#shared/consent.ts';
import type { DeliveryState, WebhookEventType } from '#shared/consent.ts';

const EVENT_LABELS: Record< WebhookEventType, string > = {
	'consent.given': __( 'Consent given (accept all)', 'consentry' ),
	'consent.rejected': __( 'Consent rejected (reject all)', 'consentry' ),
	'consent.updated': __(
		'Consent updated (custom choice or withdrawal)',
		'consentry'
	),
	'pageview.limit_warning': __(
		'Pageview limit warning (80, 90 and 100 %)',
		'consentry'
	),
	'subscription.expiring': __(
		'Plan ends soon (7 days and 1 day before)',
		'consentry'
	),
	'subscription.expired': __(
		'Plan ended (the account fell back to Pro)',
		'consentry'
	),
	'scan.completed': __( 'Cookie scan finished (completed or partial)', 'consentry' ),
	'scan.failed': __( 'Cookie scan failed', 'consentry' ),
	'a11y.profile_used': __(
		'Display profiles used (anonymous counts, at most hourly)',
		'consentry'
	),
};

/** The events an endpoint can subscribe to, as the service names them, in its order. */
export const EVENTS = WEBHOOK_EVENTS.map( ( type ) => ( {
	type,
	label: EVENT_LABELS[ type ],
} ) );

export const eventLabel = ( type: string ): string =>
	EVENT_LABELS[ type as WebhookEventType ] ?? type;

export function stateLabel( state: DeliveryState ): string {
	const labels: Record< DeliveryState, string > = {
		pending: __( 'Pending', 'consentry' ),
		succeeded: __( 'Delivered', 'consentry' ),
		failed: __( 'Failed', 'consentry' ),
	};
	return labels[ state ] ?? state;
}
