import { Notice } from '@wordpress/components';
import type { Notices } from '../hooks/useNotices.ts';
import ErrorNotice from './ErrorNotice.tsx';

/**
 * A screen's dismissible error and dismissible success message, each shown when set.
 * The caller wraps them (an aria-live region).
 */
export default function Messages( {
	notices,
}: {
	notices: Pick< Notices, 'error' | 'setError' | 'message' | 'setMessage' >;
} ) {
	return (
		<>
			<ErrorNotice
				error={ notices.error }
				onRemove={ () => notices.setError( null ) }
			/>
			{ notices.message ? (
				<Notice
					status="success"
					onRemove={ () => notices.setMessage( '' ) }
				>
					{ notices.message }
				</Notice>
			) : null }
		</>
	);
}
