import {
	Button,
	ColorIndicator,
	ColorPicker,
	Dropdown,
	TextControl,
} from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { FieldMessage } from './fields.js';

/**
 * A hex colour: typed, or picked in a popover; the swatch shows it.
 *
 * @param {Object}   props
 * @param {string}   props.label
 * @param {string}   props.value    #rrggbb
 * @param {Function} props.onChange
 * @param {string}   [props.error]  Field error.
 */
export default function ColorField( { label, value, onChange, error } ) {
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
				onChange={ ( next ) => onChange( next.trim() ) }
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
						onChange={ ( next ) =>
							onChange( String( next ).slice( 0, 7 ) )
						}
						enableAlpha={ false }
					/>
				) }
			/>
		</div>
	);
}
