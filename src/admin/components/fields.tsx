// Field-level errors from the service (422 details.fields) or WordPress (params).
import type { ReactNode } from 'react';
import type { AdminError } from '../api/client.ts';

/**
 * The message for a field path, or for anything below it; '' when none.
 *
 * @param error AdminError of the last submit.
 * @param paths Field paths ("nameEn", "config/colors/primary", "translations/tr/name").
 */
export function fieldError(
	error: AdminError | null | undefined,
	...paths: string[]
): string {
	if ( ! error || ! error.fields ) {
		return '';
	}
	for ( const path of paths ) {
		for ( const [ field, message ] of Object.entries( error.fields ) ) {
			if ( field === path || field.startsWith( `${ path }/` ) ) {
				return message;
			}
		}
	}
	return '';
}

/** Help text for a control: the field's error (announced, styled as an error) or its ordinary help. */
export function FieldMessage( {
	message,
	help,
}: {
	message?: string;
	help?: ReactNode;
} ) {
	if ( message ) {
		return (
			<span className="consentry-field-error" role="alert">
				{ message }
			</span>
		);
	}
	return help || null;
}
