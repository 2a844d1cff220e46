import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

interface Props {
	/** What the row is called (category name, endpoint URL). */
	name: string;
	/** Whether the row's form is open. */
	expanded: boolean;
	/** Toggles the form. */
	onClick: () => void;
}

/** A row's Edit button: opens and closes the row's form. */
export default function EditButton( { name, expanded, onClick }: Props ) {
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
