import { Button, TextControl } from '@wordpress/components';
import { useEffect, useRef, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { WebhookEndpoint } from '../../api/types.ts';

/** A signing secret to show once: after create, or after rotate. */
export interface ShownSecret {
	endpoint: WebhookEndpoint;
	secret: string;
	rotated: boolean;
}

/**
 * Copies text: the Clipboard API where the page may use it, else the selected field.
 *
 * @param text  What to copy.
 * @param input Field holding the text.
 * @return Whether it was copied.
 */
async function copyText(
	text: string,
	input: HTMLInputElement | null
): Promise< boolean > {
	try {
		if ( window.navigator.clipboard && window.isSecureContext ) {
			await window.navigator.clipboard.writeText( text );
			return true;
		}
	} catch {
		// Fall back to the selection below.
	}
	if ( ! input ) {
		return false;
	}
	input.focus();
	input.select();
	try {
		return input.ownerDocument.execCommand( 'copy' );
	} catch {
		return false;
	}
}

/** The signing secret, shown once after create or rotate, in a read-only field to copy. */
export default function SecretNotice( {
	shown,
	onDismiss,
}: {
	shown: ShownSecret;
	onDismiss: () => void;
} ) {
	const ref = useRef< HTMLInputElement >( null );
	const [ copied, setCopied ] = useState( '' );
	useEffect( () => {
		if ( ref.current ) {
			ref.current.focus();
			ref.current.select();
		}
	}, [ shown.secret ] );
	const copy = async () => {
		const ok = await copyText( shown.secret, ref.current );
		setCopied(
			ok
				? __( 'Copied to the clipboard.', 'consentry' )
				: __(
						'Copying did not work here: the secret is selected, copy it with Ctrl+C (⌘C).',
						'consentry'
					)
		);
	};
	return (
		<section
			className="consentry-secret"
			data-testid="webhook-secret"
			aria-labelledby="consentry-secret-title"
		>
			<h3 id="consentry-secret-title" className="consentry-form-title">
				{ shown.rotated
					? __( 'New signing secret', 'consentry' )
					: __( 'Endpoint added: its signing secret', 'consentry' ) }
			</h3>
			<p className="consentry-secret__url">
				<code>{ shown.endpoint.url }</code>
			</p>
			<p className="consentry-secret__warning">
				<strong>{ __( 'Shown only now.', 'consentry' ) }</strong>{ ' ' }
				{ __(
					'Copy it into your receiver to verify the Consentry-Signature header. Neither WordPress nor the service can show it again; if it is lost, rotate the secret.',
					'consentry'
				) }
			</p>
			<div className="consentry-secret__row">
				<TextControl
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					ref={ ref }
					label={ __( 'Signing secret', 'consentry' ) }
					value={ shown.secret }
					onChange={ () => {} }
					readOnly
					spellCheck={ false }
					autoComplete="off"
					onFocus={ ( event ) => event.target.select() }
				/>
				<Button
					variant="secondary"
					onClick={ copy }
					__next40pxDefaultSize
				>
					{ __( 'Copy', 'consentry' ) }
				</Button>
			</div>
			<p className="consentry-help" aria-live="polite">
				{ copied }
			</p>
			<div className="consentry-actions">
				<Button
					variant="primary"
					onClick={ onDismiss }
					__next40pxDefaultSize
				>
					{ __( 'I have copied it', 'consentry' ) }
				</Button>
			</div>
		</section>
	);
}
