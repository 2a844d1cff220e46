/**
 * Editor side of the "Cookie settings" block: a preview of the button and a
 * label field. Plain script (no build step); the page itself is rendered by PHP.
 */
( function ( blocks, element, blockEditor, components, i18n ) {
	'use strict';
	var el = element.createElement;
	var __ = i18n.__;

	blocks.registerBlockType( 'consentry/settings-link', {
		edit: function ( props ) {
			var label = props.attributes.label;
			return el(
				element.Fragment,
				null,
				el(
					blockEditor.InspectorControls,
					null,
					el(
						components.PanelBody,
						{ title: __( 'Settings', 'consentry' ) },
						el( components.TextControl, {
							label: __( 'Button text', 'consentry' ),
							help: __( 'Leave empty for "Cookie settings" in the visitor\'s language.', 'consentry' ),
							value: label,
							onChange: function ( value ) {
								props.setAttributes( { label: value } );
							},
						} )
					)
				),
				el(
					'button',
					blockEditor.useBlockProps( { type: 'button', className: 'consentry-settings-link' } ),
					label || __( 'Cookie settings', 'consentry' )
				)
			);
		},
		save: function () {
			return null;
		},
	} );
} )( window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components, window.wp.i18n );
