import { Button, SelectControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { ReviewState } from '#shared/consent.ts';
import {
	asAdminError,
	createInventoryEntry,
	deleteInventoryEntry,
	updateInventoryEntry,
} from '../../api/client.ts';
import type { AdminError } from '../../api/client.ts';
import type {
	Category,
	InventoryEntry,
	InventoryFields,
	NewInventoryFields,
} from '../../api/types.ts';
import DataTable from '../../components/DataTable.tsx';
import DeleteButton from '../../components/DeleteButton.tsx';
import EditButton from '../../components/EditButton.tsx';
import Loaded from '../../components/Loaded.tsx';
import Messages from '../../components/Messages.tsx';
import ScreenCard from '../../components/ScreenCard.tsx';
import type { ListLoad } from '../../hooks/useLoad.ts';
import { useNotices } from '../../hooks/useNotices.ts';
import InventoryForm, { categoryOptions } from './InventoryForm.tsx';
import { kindLabel, reviewLabel } from './labels.ts';
import { categoryName } from './ScanResults.tsx';

interface Props {
	list: ListLoad< InventoryEntry >;
	categories: Category[];
	/** Called after every change (the declaration may have changed). */
	onChanged: () => void;
}

/** The sections of the inventory, in the order they are shown: what needs a person first. */
const SECTIONS: ReviewState[] = [ 'todo', 'done', 'ignored' ];

/**
 * The site's cookie inventory: classify what is to review (a category, then
 * Mark reviewed or Ignore), edit any entry, add and delete manual ones.
 */
export default function Inventory( { list, categories, onChanged }: Props ) {
	const notices = useNotices();
	// Entry id, 'new' or null.
	const [ editing, setEditing ] = useState< string | null >( null );
	const [ formError, setFormError ] = useState< AdminError | null >( null );
	const [ busy, setBusy ] = useState( false );

	const startEditing = ( id: string | null ) => {
		setFormError( null );
		setEditing( id );
	};

	const change = ( entry: InventoryEntry, fields: InventoryFields, text: string ) =>
		notices.run( async () => {
			const { cookie: saved } = await updateInventoryEntry(
				entry.id,
				fields
			);
			list.replace( saved );
			onChanged();
			return text;
		} );

	const submit = async ( fields: NewInventoryFields | InventoryFields ) => {
		setBusy( true );
		setFormError( null );
		notices.clear();
		try {
			if ( editing === 'new' ) {
				const { cookie: entry } = await createInventoryEntry(
					fields as NewInventoryFields
				);
				list.add( entry );
				notices.setMessage(
					sprintf(
						/* translators: %s: cookie or storage name */
						__( '%s added to the inventory.', 'consentry' ),
						entry.name
					)
				);
			} else if ( editing ) {
				const { cookie: entry } = await updateInventoryEntry(
					editing,
					fields as InventoryFields
				);
				list.replace( entry );
				notices.setMessage(
					sprintf(
						/* translators: %s: cookie or storage name */
						__( '%s saved.', 'consentry' ),
						entry.name
					)
				);
			}
			setEditing( null );
			onChanged();
		} catch ( e ) {
			setFormError( asAdminError( e ) );
		} finally {
			setBusy( false );
		}
	};

	const remove = ( entry: InventoryEntry ) =>
		notices.runConfirmed(
			sprintf(
				/* translators: %s: cookie or storage name */
				__(
					'Delete %s from the inventory? It leaves the cookie declaration too.',
					'consentry'
				),
				entry.name
			),
			async () => {
				await deleteInventoryEntry( entry.id );
				list.remove( entry.id );
				onChanged();
				return sprintf(
					/* translators: %s: cookie or storage name */
					__( '%s deleted.', 'consentry' ),
					entry.name
				);
			}
		);

	return (
		<ScreenCard
			title={ __( 'Cookie inventory', 'consentry' ) }
			actions={
				<Button
					variant="secondary"
					onClick={ () => startEditing( 'new' ) }
					disabled={ editing === 'new' }
					__next40pxDefaultSize
				>
					{ __( 'Add entry', 'consentry' ) }
				</Button>
			}
		>
			<p className="consentry-help">
				{ __(
					'Everything the scans found, and what you added by hand. The cookie declaration publishes reviewed entries that have a category; nothing unclassified or unreviewed is ever published.',
					'consentry'
				) }
			</p>
			<div aria-live="polite" className="consentry-messages">
				<Messages notices={ notices } />
			</div>
			{ editing === 'new' ? (
				<InventoryForm
					categories={ categories }
					onSubmit={ submit }
					onCancel={ () => setEditing( null ) }
					error={ formError }
					busy={ busy }
				/>
			) : null }
			<Loaded load={ list }>
				{ ( entries ) => (
					<>
						{ SECTIONS.map( ( state ) => {
							const rows = entries.filter(
								( e ) => e.reviewState === state
							);
							const captionId = `consentry-inventory-${ state }`;
							return (
								<section
									key={ state }
									className="consentry-inventory-section"
									data-review={ state }
								>
									<h3 className="consentry-section-title">
										{ sprintf(
											/* translators: 1: review state, 2: number of entries */
											__( '%1$s (%2$d)', 'consentry' ),
											reviewLabel( state ),
											rows.length
										) }
									</h3>
									<DataTable
										captionId={ captionId }
										caption={ reviewLabel( state ) }
										className="widefat striped consentry-inventory"
										busy={ list.loading }
										columns={ [
											__( 'Name', 'consentry' ),
											__( 'Category', 'consentry' ),
											__( 'Provider', 'consentry' ),
											__( 'Purpose', 'consentry' ),
											__( 'Retention', 'consentry' ),
											__( 'Actions', 'consentry' ),
										] }
										emptyText={ __(
											'Nothing here.',
											'consentry'
										) }
									>
										{ rows.flatMap( ( entry ) => [
											<Row
												key={ entry.id }
												entry={ entry }
												categories={ categories }
												editing={ editing === entry.id }
												onEdit={ () =>
													startEditing(
														editing === entry.id
															? null
															: entry.id
													)
												}
												onChange={ change }
												onDelete={ remove }
											/>,
											editing === entry.id ? (
												<tr
													key={ `${ entry.id }-form` }
													className="consentry-inventory__form-row"
												>
													<td colSpan={ 6 }>
														<InventoryForm
															entry={ entry }
															categories={
																categories
															}
															onSubmit={ submit }
															onCancel={ () =>
																setEditing(
																	null
																)
															}
															error={ formError }
															busy={ busy }
														/>
													</td>
												</tr>
											) : null,
										] ).filter( Boolean ) }
									</DataTable>
								</section>
							);
						} ) }
					</>
				) }
			</Loaded>
		</ScreenCard>
	);
}

interface RowProps {
	entry: InventoryEntry;
	categories: Category[];
	editing: boolean;
	onEdit: () => void;
	onChange: (
		entry: InventoryEntry,
		fields: InventoryFields,
		text: string
	) => Promise< void >;
	onDelete: ( entry: InventoryEntry ) => void;
}

/** One entry: to-review rows classify in place (category, Mark reviewed, Ignore). */
function Row( {
	entry,
	categories,
	editing,
	onEdit,
	onChange,
	onDelete,
}: RowProps ) {
	const category = categoryName( categories, entry.categoryKey );
	return (
		<tr data-entry={ entry.name } data-kind={ entry.kind }>
			<th scope="row">
				<code>{ entry.name }</code>
				<div className="consentry-muted">
					{ kindLabel( entry.kind ) }
					{ entry.domain ? ` · ${ entry.domain }` : '' }
					{ entry.source === 'manual'
						? ` · ${ __( 'added by hand', 'consentry' ) }`
						: '' }
				</div>
			</th>
			<td>
				{ entry.reviewState === 'todo' ? (
					<SelectControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						label={ sprintf(
							/* translators: %s: cookie or storage name */
							__( 'Category of %s', 'consentry' ),
							entry.name
						) }
						hideLabelFromVision
						value={ entry.categoryKey ?? '' }
						options={ categoryOptions( categories ) }
						onChange={ ( key ) =>
							onChange(
								entry,
								{ categoryKey: key || null },
								sprintf(
									/* translators: 1: cookie or storage name, 2: category name */
									__( '%1$s is now in %2$s.', 'consentry' ),
									entry.name,
									categoryName( categories, key || null )
								)
							)
						}
					/>
				) : (
					category
				) }
			</td>
			<td>{ entry.provider }</td>
			<td>{ entry.purpose }</td>
			<td>{ entry.retention }</td>
			<td className="consentry-inventory__actions">
				{ entry.reviewState === 'todo' ? (
					<>
						<Button
							size="compact"
							variant="primary"
							disabled={ ! entry.categoryKey }
							accessibleWhenDisabled
							onClick={ () =>
								onChange(
									entry,
									{ reviewState: 'done' },
									sprintf(
										/* translators: %s: cookie or storage name */
										__(
											'%s is reviewed: the cookie declaration lists it.',
											'consentry'
										),
										entry.name
									)
								)
							}
							label={ sprintf(
								/* translators: %s: cookie or storage name */
								__( 'Mark %s reviewed', 'consentry' ),
								entry.name
							) }
							showTooltip={ false }
						>
							{ __( 'Mark reviewed', 'consentry' ) }
						</Button>
						<Button
							size="compact"
							variant="tertiary"
							onClick={ () =>
								onChange(
									entry,
									{ reviewState: 'ignored' },
									sprintf(
										/* translators: %s: cookie or storage name */
										__(
											'%s is ignored: it is not published.',
											'consentry'
										),
										entry.name
									)
								)
							}
							label={ sprintf(
								/* translators: %s: cookie or storage name */
								__( 'Ignore %s', 'consentry' ),
								entry.name
							) }
							showTooltip={ false }
						>
							{ __( 'Ignore', 'consentry' ) }
						</Button>
					</>
				) : null }
				<EditButton
					name={ entry.name }
					expanded={ editing }
					onClick={ onEdit }
				/>
				{ entry.source === 'manual' ? (
					<DeleteButton
						name={ entry.name }
						onClick={ () => onDelete( entry ) }
					/>
				) : null }
			</td>
		</tr>
	);
}
