import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { AdminError } from '../api/client.ts';
import ErrorNotice from './ErrorNotice.tsx';

/** A screen that could not load: the error and a Try again button. */
export default function LoadError( {
	error,
	onRetry,
}: {
	error: AdminError;
	onRetry: () => void;
} ) {
	return (
		<div className="consentry-screen">
			<ErrorNotice error={ error } />
			<Button variant="secondary" onClick={ onRetry }>
				{ __( 'Try again', 'consentry' ) }
			</Button>
		</div>
	);
}
