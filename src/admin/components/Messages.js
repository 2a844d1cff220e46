import { Notice } from '@wordpress/components';
import ErrorNotice from './ErrorNotice.js';

/**
 * A dismissible error and a dismissible success message, each shown when set.
 * The caller wraps them (an aria-live region).
 *
 * @param {Object}   props
 * @param {Object}   props.error            AdminError or null.
 * @param {Function} props.onDismissError   Clears the error.
 * @param {string}   props.message          Success text or ''.
 * @param {Function} props.onDismissMessage Clears the message.
 */
export default function Messages( {
	error,
	onDismissError,
	message,
	onDismissMessage,
} ) {
	return (
		<>
			<ErrorNotice error={ error } onRemove={ onDismissError } />
			{ message ? (
				<Notice status="success" onRemove={ onDismissMessage }>
					{ message }
				</Notice>
			) : null }
		</>
	);
}
