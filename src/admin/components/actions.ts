import { __ } from '@wordpress/i18n';
import type { ConsentAction } from '#shared/consent.ts';

/** What each consent action is called on screen. */
export function actionLabel( action: ConsentAction ): string {
	const labels: Record< ConsentAction, string > = {
		accept_all: __( 'Accepted all', 'consentry' ),
		reject_all: __( 'Rejected all', 'consentry' ),
		custom: __( 'Custom choice', 'consentry' ),
		withdraw: __( 'Withdrew', 'consentry' ),
	};
	return labels[ action ] ?? action;
}
