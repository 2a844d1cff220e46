import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/** A row's Delete button (the caller asks for confirmation); `name` is what the row is called (category name, endpoint URL). */
export default function DeleteButton( {
	name,
	onClick,
}: {
	name: string;
	onClick: () => void;
} ) {
	return (
		<Button
			size="compact"
			variant="tertiary"
			isDestructive
			onClick={ onClick }
			aria-label={ sprintf(
				/* translators: %s: category name or endpoint URL */ __(
					'Delete %s',
					'consentry'
				),
				name
			) }
		>
			{ __( 'Delete', 'consentry' ) }
		</Button>
	);
}
