import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/**
 * A row's Edit button: opens and closes the row's form.
 *
 * @param {Object}   props
 * @param {string}   props.name     What the row is called (category name, endpoint URL).
 * @param {boolean}  props.expanded Whether the row's form is open.
 * @param {Function} props.onClick  Toggles the form.
 */
export default function EditButton( { name, expanded, onClick } ) {
	return (
		<Button
			size="compact"
			variant="secondary"
			onClick={ onClick }
			aria-expanded={ expanded }
			aria-label={ sprintf(
				/* translators: %s: category name or endpoint URL */ __(
					'Edit %s',
					'consentry'
				),
				name
			) }
		>
			{ __( 'Edit', 'consentry' ) }
		</Button>
	);
}
