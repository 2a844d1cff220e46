import { SelectControl, TextControl, TextareaControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { FormEvent } from 'react';
import type { ReviewState, StorageKind } from '#shared/consent.ts';
import type { AdminError } from '../../api/client.ts';
import type {
	Category,
	InventoryEntry,
	InventoryFields,
	NewInventoryFields,
} from '../../api/types.ts';
import FormActions from '../../components/FormActions.tsx';
import { FieldMessage, fieldError } from '../../components/fields.tsx';
import { KINDS, REVIEWS } from './labels.ts';

interface Props {
	/** The entry being edited; none when adding a manual one. */
	entry?: InventoryEntry;
	categories: Category[];
	onSubmit: ( fields: NewInventoryFields | InventoryFields ) => void;
	onCancel: () => void;
	error: AdminError | null;
	busy: boolean;
}

/** Category choices of a select: unclassified, then the site's categories. */
export function categoryOptions( categories: Category[] ) {
	return [
		{ value: '', label: __( '— Unclassified —', 'consentry' ) },
		...categories.map( ( c ) => ( { value: c.key, label: c.nameEn } ) ),
	];
}

/** Add a manual entry, or edit any entry's category, review state and texts (kind, name and domain stay). */
export default function InventoryForm( {
	entry,
	categories,
	onSubmit,
	onCancel,
	error,
	busy,
}: Props ) {
	const [ values, setValues ] = useState( {
		kind: ( entry?.kind ?? 'cookie' ) as StorageKind,
		name: entry?.name ?? '',
		domain: entry?.domain ?? '',
		provider: entry?.provider ?? '',
		purpose: entry?.purpose ?? '',
		retention: entry?.retention ?? '',
		categoryKey: entry?.categoryKey ?? '',
		reviewState: ( entry?.reviewState ?? 'done' ) as ReviewState,
	} );
	const set =
		< K extends keyof typeof values >( key: K ) =>
		( value: ( typeof values )[ K ] ) =>
			setValues( ( current ) => ( { ...current, [ key ]: value } ) );
	const idPrefix = `consentry-inventory-${ entry ? entry.id : 'new' }`;

	const submit = ( event: FormEvent ) => {
		event.preventDefault();
		const fields: InventoryFields = {
			provider: values.provider.trim(),
			purpose: values.purpose.trim(),
			retention: values.retention.trim(),
			categoryKey: values.categoryKey || null,
			reviewState: values.reviewState,
		};
		onSubmit(
			entry
				? fields
				: {
						...fields,
						kind: values.kind,
						name: values.name.trim(),
						domain: values.domain.trim(),
				  }
		);
	};

	return (
		<form
			className="consentry-inventory-form consentry-fields"
			onSubmit={ submit }
			noValidate
			aria-labelledby={ `${ idPrefix }-title` }
		>
			<h3 id={ `${ idPrefix }-title` } className="consentry-form-title">
				{ entry
					? `${ __( 'Edit', 'consentry' ) } ${ entry.name }`
					: __( 'New inventory entry', 'consentry' ) }
			</h3>
			{ entry ? null : (
				<>
					<SelectControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						label={ __( 'Kind', 'consentry' ) }
						value={ values.kind }
						options={ KINDS }
						onChange={ ( kind ) => set( 'kind' )( kind as StorageKind ) }
					/>
					<TextControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						label={ __( 'Name', 'consentry' ) }
						value={ values.name }
						onChange={ set( 'name' ) }
						required
						spellCheck={ false }
						autoComplete="off"
						help={
							<FieldMessage
								message={ fieldError( error, 'name' ) }
								help={ __(
									'The cookie name, storage key or database name, exactly as set.',
									'consentry'
								) }
							/>
						}
					/>
					<TextControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						label={ __( 'Domain (optional)', 'consentry' ) }
						value={ values.domain }
						onChange={ set( 'domain' ) }
						spellCheck={ false }
						autoComplete="off"
						help={
							<FieldMessage
								message={ fieldError( error, 'domain' ) }
								help={ __(
									'The cookie’s domain (.example.com) or the host for storage; empty for this site’s own.',
									'consentry'
								) }
							/>
						}
					/>
				</>
			) }
			<SelectControl
				__next40pxDefaultSize
				__nextHasNoMarginBottom
				label={ __( 'Category', 'consentry' ) }
				value={ values.categoryKey }
				options={ categoryOptions( categories ) }
				onChange={ set( 'categoryKey' ) }
				help={
					<FieldMessage message={ fieldError( error, 'categoryKey' ) } />
				}
			/>
			<TextControl
				__next40pxDefaultSize
				__nextHasNoMarginBottom
				label={ __( 'Provider', 'consentry' ) }
				value={ values.provider }
				onChange={ set( 'provider' ) }
				help={
					<FieldMessage
						message={ fieldError( error, 'provider' ) }
						help={ __(
							'Who sets it: a company, or this site.',
							'consentry'
						) }
					/>
				}
			/>
			<TextareaControl
				__nextHasNoMarginBottom
				label={ __( 'Purpose', 'consentry' ) }
				value={ values.purpose }
				onChange={ set( 'purpose' ) }
				rows={ 2 }
				help={
					<FieldMessage
						message={ fieldError( error, 'purpose' ) }
						help={ __(
							'What it is for, as visitors will read it in the cookie declaration.',
							'consentry'
						) }
					/>
				}
			/>
			<TextControl
				__next40pxDefaultSize
				__nextHasNoMarginBottom
				label={ __( 'Retention', 'consentry' ) }
				value={ values.retention }
				onChange={ set( 'retention' ) }
				help={
					<FieldMessage
						message={ fieldError( error, 'retention' ) }
						help={ __(
							'How long it is kept, e.g. “session” or “1 year”.',
							'consentry'
						) }
					/>
				}
			/>
			<SelectControl
				__next40pxDefaultSize
				__nextHasNoMarginBottom
				label={ __( 'Review', 'consentry' ) }
				value={ values.reviewState }
				options={ REVIEWS }
				onChange={ ( state ) =>
					set( 'reviewState' )( state as ReviewState )
				}
				help={
					<FieldMessage
						message={ fieldError( error, 'reviewState' ) }
						help={ __(
							'Only reviewed entries with a category are published in the cookie declaration.',
							'consentry'
						) }
					/>
				}
			/>
			<FormActions
				error={ error }
				busy={ busy }
				submitLabel={
					entry
						? __( 'Save entry', 'consentry' )
						: __( 'Add entry', 'consentry' )
				}
				onCancel={ onCancel }
			/>
		</form>
	);
}
