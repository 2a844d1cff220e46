/**
 * Editor side of the "Cookie declaration" block: the declaration as the page
 * will print it (rendered by PHP) and a heading-level setting. Plain script
 * (no build step).
 */
( function ( blocks, element, blockEditor, components, i18n, ServerSideRender ) {
	'use strict';
	var el = element.createElement;
	var __ = i18n.__;

	blocks.registerBlockType( 'consentry/cookie-policy', {
		edit: function ( props ) {
			return el(
				element.Fragment,
				null,
				el(
					blockEditor.InspectorControls,
					null,
					el(
						components.PanelBody,
						{ title: __( 'Settings', 'consentry' ) },
						el( components.SelectControl, {
							label: __( 'Heading level of the categories', 'consentry' ),
							value: String( props.attributes.headingLevel ),
							options: [ 2, 3, 4, 5, 6 ].map( function ( level ) {
								return { value: String( level ), label: 'H' + level };
							} ),
							onChange: function ( value ) {
								props.setAttributes( { headingLevel: Number( value ) } );
							},
						} ),
						el(
							'p',
							null,
							__( 'Only items marked reviewed in Consentry → Scanner are listed.', 'consentry' )
						)
					)
				),
				el(
					'div',
					blockEditor.useBlockProps(),
					el( ServerSideRender, { block: 'consentry/cookie-policy', attributes: props.attributes } )
				)
			);
		},
		save: function () {
			return null;
		},
	} );
} )( window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components, window.wp.i18n, window.wp.serverSideRender );
