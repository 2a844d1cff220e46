import { Notice } from '@wordpress/components';
import type { AdminError } from '../api/client.ts';

interface Props {
	error: AdminError | null | undefined;
	/** Dismiss handler; without it the notice cannot be dismissed. */
	onRemove?: () => void;
}

/** A route's error as a Notice: the message, and the plugin's own words under it when they add something. */
export default function ErrorNotice( { error, onRemove }: Props ) {
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
