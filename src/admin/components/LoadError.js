import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import ErrorNotice from './ErrorNotice.js';

/**
 * A screen that could not load: the error and a Try again button.
 *
 * @param {Object}   props
 * @param {Object}   props.error   AdminError.
 * @param {Function} props.onRetry Loads again.
 */
export default function LoadError( { error, onRetry } ) {
	return (
		<div className="consentry-screen">
			<ErrorNotice error={ error } />
			<Button variant="secondary" onClick={ onRetry }>
				{ __( 'Try again', 'consentry' ) }
			</Button>
		</div>
	);
}
