import { Notice } from '@wordpress/components';

/**
 * A route's error as a Notice: the message, and the plugin's own words under it when they add something.
 *
 * @param {Object}   props
 * @param {Object}   props.error      AdminError or null.
 * @param {Function} [props.onRemove] Dismiss handler.
 */
export default function ErrorNotice( { error, onRemove } ) {
	if ( ! error ) {
		return null;
	}
	return (
		<Notice
			status="error"
			isDismissible={ Boolean( onRemove ) }
			onRemove={ onRemove }
			className="consentry-notice"
		>
			<p className="consentry-notice__message">{ error.message }</p>
			{ error.detail && error.detail !== error.message ? (
				<p className="consentry-notice__detail">{ error.detail }</p>
			) : null }
		</Notice>
	);
}
