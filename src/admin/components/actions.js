import { __ } from '@wordpress/i18n';

/**
 * @param {string} action accept_all | reject_all | custom | withdraw
 * @return {string} Label.
 */
export function actionLabel( action ) {
	switch ( action ) {
		case 'accept_all':
			return __( 'Accepted all', 'consentry' );
		case 'reject_all':
			return __( 'Rejected all', 'consentry' );
		case 'custom':
			return __( 'Custom choice', 'consentry' );
		case 'withdraw':
			return __( 'Withdrew', 'consentry' );
		default:
			return action;
	}
}
