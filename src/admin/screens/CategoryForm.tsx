import {
	SelectControl,
	TextControl,
	TextareaControl,
	ToggleControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { FormEvent } from 'react';
import { WP_CONSENT_CATEGORIES } from '#shared/consent.ts';
import type { WpConsentCategory } from '#shared/consent.ts';
import type { AdminError } from '../api/client.ts';
import type { Category, CategoryFields } from '../api/types.ts';
import FormActions from '../components/FormActions.tsx';
import { FieldMessage, fieldError } from '../components/fields.tsx';

const WP_CONSENT_LABELS: Record< WpConsentCategory, string > = {
	functional: __( 'Functional', 'consentry' ),
	preferences: __( 'Preferences', 'consentry' ),
	statistics: __( 'Statistics', 'consentry' ),
	'statistics-anonymous': __( 'Statistics (anonymous)', 'consentry' ),
	marketing: __( 'Marketing', 'consentry' ),
};
const WP_CONSENT_OPTIONS = WP_CONSENT_CATEGORIES.map( ( value ) => ( {
	value,
	label: WP_CONSENT_LABELS[ value ],
} ) );

const lines = ( text: string ) =>
	text
		.split( '\n' )
		.map( ( line ) => line.trim() )
		.filter( Boolean );

interface Props {
	/** The category being edited; none when creating. */
	category?: Category;
	/** Called with the fields to send. */
	onSubmit: ( fields: CategoryFields ) => void;
	onCancel: () => void;
	/** AdminError of the last submit. */
	error: AdminError | null;
	busy: boolean;
}

/** Create or edit one category. Errors from the service arrive in `error.fields`, shown at their field. */
export default function CategoryForm( {
	category,
	onSubmit,
	onCancel,
	error,
	busy,
}: Props ) {
	const isNew = ! category;
	const tr = category?.translations?.tr ?? {};
	const [ values, setValues ] = useState( {
		key: category ? category.key : '',
		nameEn: category ? category.nameEn : '',
		descriptionEn: category ? category.descriptionEn : '',
		nameTr: tr.name || '',
		descriptionTr: tr.description || '',
		isDefault: category ? category.isDefault : false,
		wpConsentCategory: category
			? category.wpConsentCategory
			: ( 'preferences' as WpConsentCategory ),
		cookies: category ? category.cookies.join( '\n' ) : '',
		blockPatterns: category ? category.blockPatterns.join( '\n' ) : '',
	} );
	const set =
		< K extends keyof typeof values >( key: K ) =>
		( value: ( typeof values )[ K ] ) =>
			setValues( ( current ) => ( { ...current, [ key ]: value } ) );
	const idPrefix = `consentry-category-${ category ? category.id : 'new' }`;

	const submit = ( event: FormEvent ) => {
		event.preventDefault();
		const translations = { ...category?.translations };
		const trValues: { name?: string; description?: string } = {};
		if ( values.nameTr.trim() ) {
			trValues.name = values.nameTr.trim();
		}
		if ( values.descriptionTr.trim() ) {
			trValues.description = values.descriptionTr.trim();
		}
		if ( Object.keys( trValues ).length ) {
			translations.tr = trValues;
		} else {
			delete translations.tr;
		}
		const fields: CategoryFields = {
			nameEn: values.nameEn.trim(),
			descriptionEn: values.descriptionEn.trim(),
			translations,
			isDefault: Boolean( values.isDefault ),
			wpConsentCategory: values.wpConsentCategory,
			cookies: lines( values.cookies ),
			blockPatterns: lines( values.blockPatterns ),
		};
		if ( isNew ) {
			fields.key = values.key.trim();
		}
		onSubmit( fields );
	};

	const common = {
		__next40pxDefaultSize: true,
		__nextHasNoMarginBottom: true,
	};
	return (
		<form
			className="consentry-category-form consentry-fields"
			onSubmit={ submit }
			noValidate
			aria-labelledby={ `${ idPrefix }-title` }
		>
			<h3 id={ `${ idPrefix }-title` } className="consentry-form-title">
				{ category
					? category.nameEn
					: __( 'New category', 'consentry' ) }
			</h3>
			{ isNew ? (
				<TextControl
					{ ...common }
					label={ __( 'Key', 'consentry' ) }
					value={ values.key }
					onChange={ set( 'key' ) }
					required
					spellCheck={ false }
					help={
						<FieldMessage
							message={ fieldError( error, 'key' ) }
							help={ __(
								'Lower-case letters, digits and _; used in page markup (data-category) and cannot change later.',
								'consentry'
							) }
						/>
					}
				/>
			) : null }
			<TextControl
				{ ...common }
				label={ __( 'Name (English)', 'consentry' ) }
				value={ values.nameEn }
				onChange={ set( 'nameEn' ) }
				required
				help={
					<FieldMessage message={ fieldError( error, 'nameEn' ) } />
				}
			/>
			<TextareaControl
				__nextHasNoMarginBottom
				label={ __( 'Description (English)', 'consentry' ) }
				value={ values.descriptionEn }
				onChange={ set( 'descriptionEn' ) }
				rows={ 3 }
				help={
					<FieldMessage
						message={ fieldError( error, 'descriptionEn' ) }
					/>
				}
			/>
			<TextControl
				{ ...common }
				lang="tr"
				label={ __( 'Name (Turkish)', 'consentry' ) }
				value={ values.nameTr }
				onChange={ set( 'nameTr' ) }
				help={
					<FieldMessage
						message={ fieldError(
							error,
							'translations/tr/name',
							'translations/tr'
						) }
					/>
				}
			/>
			<TextareaControl
				__nextHasNoMarginBottom
				lang="tr"
				label={ __( 'Description (Turkish)', 'consentry' ) }
				value={ values.descriptionTr }
				onChange={ set( 'descriptionTr' ) }
				rows={ 3 }
				help={
					<FieldMessage
						message={ fieldError(
							error,
							'translations/tr/description'
						) }
					/>
				}
			/>
			{ category?.isRequired ? (
				<p className="consentry-help">
					{ __(
						'Required: always on; visitors cannot turn it off.',
						'consentry'
					) }
				</p>
			) : (
				<ToggleControl
					__nextHasNoMarginBottom
					label={ __(
						'Switched on by default in the preference centre',
						'consentry'
					) }
					help={ __(
						'Visitors still have to save their choice; nothing is granted before that.',
						'consentry'
					) }
					checked={ values.isDefault }
					onChange={ set( 'isDefault' ) }
				/>
			) }
			<SelectControl
				{ ...common }
				label={ __( 'WP Consent API category', 'consentry' ) }
				value={ values.wpConsentCategory }
				options={ WP_CONSENT_OPTIONS }
				onChange={ set( 'wpConsentCategory' ) }
				help={
					<FieldMessage
						message={ fieldError( error, 'wpConsentCategory' ) }
						help={ __(
							'What other plugins asking wp_has_consent() see for this category.',
							'consentry'
						) }
					/>
				}
			/>
			<TextareaControl
				__nextHasNoMarginBottom
				label={ __( 'Cookies (one per line)', 'consentry' ) }
				value={ values.cookies }
				onChange={ set( 'cookies' ) }
				rows={ 3 }
				spellCheck={ false }
				help={
					<FieldMessage
						message={ fieldError( error, 'cookies' ) }
						help={ __(
							'Deleted when a visitor withdraws this category. A trailing * matches a prefix, e.g. _ga_*.',
							'consentry'
						) }
					/>
				}
			/>
			<TextareaControl
				__nextHasNoMarginBottom
				label={ __(
					'Blocked script and iframe URLs (one per line)',
					'consentry'
				) }
				value={ values.blockPatterns }
				onChange={ set( 'blockPatterns' ) }
				rows={ 3 }
				spellCheck={ false }
				help={
					<FieldMessage
						message={ fieldError( error, 'blockPatterns' ) }
						help={ __(
							'Parts of URLs (at least 3 characters) that wait for this category, e.g. googletagmanager.com.',
							'consentry'
						) }
					/>
				}
			/>
			<FormActions
				error={ error }
				busy={ busy }
				submitLabel={
					isNew
						? __( 'Create category', 'consentry' )
						: __( 'Save category', 'consentry' )
				}
				onCancel={ onCancel }
			/>
		</form>
	);
}
