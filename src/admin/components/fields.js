// Field-level errors from the service (422 details.fields) or WordPress (params).

/**
 * The message for a field path, or for anything below it.
 *
 * @param {Object|null} error AdminError.
 * @param {...string}   paths Field paths ("nameEn", "config/colors/primary", "translations/tr/name").
 * @return {string} Message or ''.
 */
export function fieldError( error, ...paths ) {
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

/**
 * Help text for a control: the field's error (announced, styled as an error) or its ordinary help.
 *
 * @param {Object} props
 * @param {string} props.message Error message.
 * @param {string} [props.help]  Ordinary help text.
 */
export function FieldMessage( { message, help } ) {
	if ( message ) {
		return (
			<span className="consentry-field-error" role="alert">
				{ message }
			</span>
		);
	}
	return help || null;
}
