import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import ErrorNotice from './ErrorNotice.js';

/**
 * The end of an add/edit form: its error (announced), then submit and Cancel.
 *
 * @param {Object}   props
 * @param {Object}   props.error       AdminError or null.
 * @param {boolean}  props.busy        Whether the form is being sent.
 * @param {string}   props.submitLabel Text of the submit button.
 * @param {Function} props.onCancel    Closes the form.
 */
export default function FormActions( { error, busy, submitLabel, onCancel } ) {
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
