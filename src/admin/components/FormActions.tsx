import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { AdminError } from '../api/client.ts';
import ErrorNotice from './ErrorNotice.tsx';

interface Props {
	error: AdminError | null;
	/** Whether the form is being sent. */
	busy: boolean;
	submitLabel: string;
	/** Closes the form. */
	onCancel: () => void;
}

/** The end of an add/edit form: its error (announced), then submit and Cancel. */
export default function FormActions( {
	error,
	busy,
	submitLabel,
	onCancel,
}: Props ) {
	return (
		<>
			<div aria-live="polite">
				<ErrorNotice error={ error } />
			</div>
			<div className="consentry-actions">
				<Button
					variant="primary"
					type="submit"
					isBusy={ busy }
					disabled={ busy }
					__next40pxDefaultSize
				>
					{ submitLabel }
				</Button>
				<Button
					variant="tertiary"
					onClick={ onCancel }
					disabled={ busy }
					__next40pxDefaultSize
				>
					{ __( 'Cancel', 'consentry' ) }
				</Button>
			</div>
		</>
	);
}
