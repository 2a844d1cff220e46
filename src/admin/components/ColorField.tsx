import {
	Button,
	ColorIndicator,
	ColorPicker,
	Dropdown,
	TextControl,
} from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { FieldMessage } from './fields.tsx';

interface Props {
	label: string;
	/** #rrggbb */
	value: string;
	onChange: ( value: string ) => void;
	/** Field error. */
	error?: string;
}

/** A hex colour: typed, or picked in a popover; the swatch shows it. */
export default function ColorField( { label, value, onChange, error }: Props ) {
	return (
		<div className="consentry-color">
			<ColorIndicator
				colorValue={ value }
				className="consentry-color__swatch"
			/>
			<TextControl
				__next40pxDefaultSize
				__nextHasNoMarginBottom
				className="consentry-color__input"
				label={ label }
				value={ value }
				onChange={ ( next: string ) => onChange( next.trim() ) }
				spellCheck={ false }
				maxLength={ 7 }
				help={ <FieldMessage message={ error } /> }
			/>
			<Dropdown
				className="consentry-color__picker"
				popoverProps={ { placement: 'bottom-end' } }
				renderToggle={ ( { isOpen, onToggle } ) => (
					<Button
						variant="secondary"
						onClick={ onToggle }
						aria-expanded={ isOpen }
						__next40pxDefaultSize
					>
						<span aria-hidden="true">
							{ __( 'Pick', 'consentry' ) }
						</span>
						<span className="screen-reader-text">
							{ sprintf(
								/* translators: %s: colour name, e.g. Background */ __(
									'Pick %s',
									'consentry'
								),
								label
							) }
						</span>
					</Button>
				) }
				renderContent={ () => (
					<ColorPicker
						color={
							/^#[0-9a-f]{6}$/i.test( value ) ? value : '#000000'
						}
						onChange={ ( next: string ) =>
							onChange( String( next ).slice( 0, 7 ) )
						}
						enableAlpha={ false }
					/>
				) }
			/>
		</div>
	);
}
