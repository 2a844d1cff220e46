import { Button } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Puts text on the clipboard: the Clipboard API where the page may use it, else a
 * selected text area and the copy command (plain-http admin pages on other hosts).
 *
 * @param text The text.
 */
async function copyText( text: string ): Promise< boolean > {
	try {
		if ( window.navigator.clipboard && window.isSecureContext ) {
			await window.navigator.clipboard.writeText( text );
			return true;
		}
	} catch {
		// Refused: try the old way.
	}
	const area = document.createElement( 'textarea' );
	area.value = text;
	area.setAttribute( 'readonly', '' );
	area.style.position = 'fixed';
	area.style.opacity = '0';
	document.body.appendChild( area );
	area.select();
	let done = false;
	try {
		done = document.execCommand( 'copy' );
	} catch {
		done = false;
	}
	area.remove();
	return done;
}

/**
 * A command, path or file to copy: shown as it is (selectable), with a Copy button
 * whose accessible name says what it copies.
 */
export default function CopyBlock( {
	label,
	text,
	testId,
}: {
	/** What the text is, e.g. "Command that creates an account". */
	label: string;
	text: string;
	testId?: string;
} ) {
	// The text last copied: the button says Copied until the text changes.
	const [ copied, setCopied ] = useState< string | null >( null );
	const [ failed, setFailed ] = useState( false );
	const onCopy = async () => {
		const done = await copyText( text );
		setFailed( ! done );
		setCopied( done ? text : null );
	};
	const isCopied = copied === text;
	return (
		<div className="consentry-copy">
			<pre
				className="consentry-copy__text"
				data-testid={ testId }
				aria-label={ label }
				// Focusable, so a keyboard can scroll a long command.
				// eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
				tabIndex={ 0 }
			>
				<code>{ text }</code>
			</pre>
			<Button
				variant="secondary"
				size="compact"
				onClick={ onCopy }
				aria-label={ sprintf(
					/* translators: %s: what is copied, e.g. "Command that creates an account" */
					__( 'Copy: %s', 'consentry' ),
					label
				) }
			>
				{ isCopied ? __( 'Copied', 'consentry' ) : __( 'Copy', 'consentry' ) }
			</Button>
			<span className="screen-reader-text" aria-live="polite">
				{ isCopied ? __( 'Copied to the clipboard.', 'consentry' ) : '' }
				{ failed
					? __( 'Could not copy: select the text and copy it.', 'consentry' )
					: '' }
			</span>
		</div>
	);
}
