import { Button } from '@wordpress/components';
import { useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { DragEvent } from 'react';
import {
	asAdminError,
	createCategory,
	deleteCategory,
	listCategories,
	reorderCategories,
	updateCategory,
} from '../api/client.ts';
import type { AdminError } from '../api/client.ts';
import type { Category, CategoryFields } from '../api/types.ts';
import DeleteButton from '../components/DeleteButton.tsx';
import EditButton from '../components/EditButton.tsx';
import ListScreen from '../components/ListScreen.tsx';
import Messages from '../components/Messages.tsx';
import { useList } from '../hooks/useLoad.ts';
import { useNotices } from '../hooks/useNotices.ts';
import CategoryForm from './CategoryForm.tsx';

type Direction = 'up' | 'down';

/** The list with category `id` moved to index `to`. */
function moveTo( list: Category[], id: string, to: number ): Category[] {
	const from = list.findIndex( ( c ) => c.id === id );
	if ( from < 0 || to < 0 || to >= list.length || from === to ) {
		return list;
	}
	const next = [ ...list ];
	const [ moved ] = next.splice( from, 1 );
	if ( moved ) {
		next.splice( to, 0, moved );
	}
	return next;
}

const movedText = ( name: string, to: number, count: number ) =>
	sprintf(
		/* translators: 1: category name, 2: new position, 3: number of categories */
		__( '%1$s moved to position %2$d of %3$d.', 'consentry' ),
		name,
		to + 1,
		count
	);

export default function Categories() {
	const list = useList( async () => ( await listCategories() ).data, [] );
	const setCategories = list.setData;
	const notices = useNotices();
	const [ formError, setFormError ] = useState< AdminError | null >( null );
	// Category id, 'new' or null.
	const [ editing, setEditing ] = useState< string | null >( null );
	const [ busy, setBusy ] = useState( false );
	const [ dragged, setDragged ] = useState< string | null >( null );
	const [ dropTarget, setDropTarget ] = useState< string | null >( null );
	const focusAfter = useRef< { id: string; direction: Direction } | null >(
		null
	);
	const listRef = useRef< HTMLOListElement >( null );

	// Keyboard reordering moves the row; focus stays on the button that moved it.
	useEffect( () => {
		if ( ! focusAfter.current || ! listRef.current ) {
			return;
		}
		const { id, direction } = focusAfter.current;
		focusAfter.current = null;
		const find = ( d: Direction ) =>
			listRef.current?.querySelector< HTMLButtonElement >(
				`[data-move="${ id }-${ d }"]`
			);
		const own = find( direction );
		const other = find( direction === 'up' ? 'down' : 'up' );
		const usable = ( button: HTMLButtonElement | null | undefined ) =>
			button &&
			! button.disabled &&
			button.getAttribute( 'aria-disabled' ) !== 'true';
		const target = usable( own ) ? own : other;
		if ( target ) {
			target.focus();
		}
	} );

	const saveOrder = (
		previous: Category[],
		next: Category[],
		text: string
	) =>
		notices.run(
			async () => {
				setCategories( next );
				const result = await reorderCategories(
					next.map( ( c, index ) => ( {
						id: c.id,
						sortOrder: index + 1,
					} ) )
				);
				setCategories( result.data );
				return text;
			},
			() => setCategories( previous )
		);

	const move = (
		categories: Category[],
		category: Category,
		direction: Direction
	) => {
		const index = categories.findIndex( ( c ) => c.id === category.id );
		const to = direction === 'up' ? index - 1 : index + 1;
		focusAfter.current = { id: category.id, direction };
		saveOrder(
			categories,
			moveTo( categories, category.id, to ),
			movedText( category.nameEn, to, categories.length )
		);
	};

	const onDrop = (
		categories: Category[],
		event: DragEvent,
		target: Category
	) => {
		event.preventDefault();
		const id = dragged || event.dataTransfer.getData( 'text/plain' );
		setDragged( null );
		setDropTarget( null );
		if ( ! id || id === target.id ) {
			return;
		}
		const category = categories.find( ( c ) => c.id === id );
		const to = categories.findIndex( ( c ) => c.id === target.id );
		saveOrder(
			categories,
			moveTo( categories, id, to ),
			movedText( category ? category.nameEn : id, to, categories.length )
		);
	};

	const submit = async ( fields: CategoryFields ) => {
		setBusy( true );
		setFormError( null );
		notices.setMessage( '' );
		try {
			if ( editing === 'new' ) {
				const { category } = await createCategory( fields );
				list.add( category );
				notices.setMessage(
					sprintf(
						/* translators: %s: category name */ __(
							'Category %s created.',
							'consentry'
						),
						category.nameEn
					)
				);
			} else if ( editing ) {
				const { category } = await updateCategory( editing, fields );
				list.replace( category );
				notices.setMessage(
					sprintf(
						/* translators: %s: category name */ __(
							'Category %s saved.',
							'consentry'
						),
						category.nameEn
					)
				);
			}
			setEditing( null );
		} catch ( e ) {
			const error = asAdminError( e );
			// A duplicate key is a conflict: show it at the key field.
			if (
				error.status === 409 &&
				editing === 'new' &&
				! Object.keys( error.fields ).length
			) {
				error.fields = { key: error.message };
			}
			setFormError( error );
		} finally {
			setBusy( false );
		}
	};

	const remove = ( category: Category ) =>
		notices.runConfirmed(
			sprintf(
				/* translators: %s: category name */ __(
					'Delete the category %s? Visitors’ choices for it stay in the consent log.',
					'consentry'
				),
				category.nameEn
			),
			async () => {
				await deleteCategory( category.id );
				list.remove( category.id );
				return sprintf(
					/* translators: %s: category name */ __(
						'Category %s deleted.',
						'consentry'
					),
					category.nameEn
				);
			}
		);

	const startEditing = ( id: string | null ) => {
		setFormError( null );
		setEditing( id );
	};

	return (
		<ListScreen
			load={ list }
			title={ __( 'Categories', 'consentry' ) }
			actions={
				<Button
					variant="secondary"
					onClick={ () => startEditing( 'new' ) }
					disabled={ editing === 'new' }
					__next40pxDefaultSize
				>
					{ __( 'Add category', 'consentry' ) }
				</Button>
			}
		>
			{ ( categories ) => (
				<>
					<p className="consentry-help" id="consentry-reorder-help">
						{ __(
							'The banner lists categories in this order. Drag a row, or use its Move up and Move down buttons.',
							'consentry'
						) }
					</p>
					<div aria-live="polite" className="consentry-messages">
						<Messages notices={ notices } />
					</div>
					{ editing === 'new' ? (
						<CategoryForm
							onSubmit={ submit }
							onCancel={ () => setEditing( null ) }
							error={ formError }
							busy={ busy }
						/>
					) : null }
					<ol
						className="consentry-categories"
						ref={ listRef }
						aria-describedby="consentry-reorder-help"
					>
						{ categories.map( ( category, index ) => (
							<li
								key={ category.id }
								className={ [
									'consentry-category',
									dragged === category.id ? 'is-dragged' : '',
									dropTarget === category.id &&
									dragged !== category.id
										? 'is-drop-target'
										: '',
								].join( ' ' ) }
								data-category-key={ category.key }
								draggable={ editing !== category.id }
								onDragStart={ ( event ) => {
									event.dataTransfer.effectAllowed = 'move';
									event.dataTransfer.setData(
										'text/plain',
										category.id
									);
									setDragged( category.id );
								} }
								onDragEnd={ () => {
									setDragged( null );
									setDropTarget( null );
								} }
								onDragOver={ ( event ) => {
									event.preventDefault();
									event.dataTransfer.dropEffect = 'move';
									if ( dropTarget !== category.id ) {
										setDropTarget( category.id );
									}
								} }
								onDrop={ ( event ) =>
									onDrop( categories, event, category )
								}
							>
								<div className="consentry-category__row">
									<span
										className="consentry-category__handle"
										aria-hidden="true"
									>
										⋮⋮
									</span>
									<div className="consentry-category__main">
										<strong className="consentry-category__name">
											{ category.nameEn }
										</strong>{ ' ' }
										<code className="consentry-category__key">
											{ category.key }
										</code>
										<div className="consentry-category__badges">
											{ category.isRequired ? (
												<span className="consentry-badge is-required">
													{ __(
														'Required',
														'consentry'
													) }
												</span>
											) : null }
											{ category.isDefault ? (
												<span className="consentry-badge">
													{ __(
														'On by default',
														'consentry'
													) }
												</span>
											) : null }
											<span className="consentry-badge is-muted">
												{ category.wpConsentCategory }
											</span>
										</div>
										{ category.descriptionEn ? (
											<p className="consentry-category__description">
												{ category.descriptionEn }
											</p>
										) : null }
										{ category.isRequired ? (
											<p className="consentry-help consentry-category__locked">
												{ __(
													'Required categories cannot be deleted: the site needs them to work, so they are always on.',
													'consentry'
												) }
											</p>
										) : null }
									</div>
									<div className="consentry-category__buttons">
										<Button
											size="compact"
											variant="tertiary"
											data-move={ `${ category.id }-up` }
											disabled={ index === 0 }
											accessibleWhenDisabled
											onClick={ () =>
												move(
													categories,
													category,
													'up'
												)
											}
											label={ sprintf(
												/* translators: %s: category name */ __(
													'Move %s up',
													'consentry'
												),
												category.nameEn
											) }
											showTooltip
										>
											<span aria-hidden="true">↑</span>
										</Button>
										<Button
											size="compact"
											variant="tertiary"
											data-move={ `${ category.id }-down` }
											disabled={
												index === categories.length - 1
											}
											accessibleWhenDisabled
											onClick={ () =>
												move(
													categories,
													category,
													'down'
												)
											}
											label={ sprintf(
												/* translators: %s: category name */ __(
													'Move %s down',
													'consentry'
												),
												category.nameEn
											) }
											showTooltip
										>
											<span aria-hidden="true">↓</span>
										</Button>
										<EditButton
											name={ category.nameEn }
											expanded={ editing === category.id }
											onClick={ () =>
												startEditing(
													editing === category.id
														? null
														: category.id
												)
											}
										/>
										{ category.isRequired ? null : (
											<DeleteButton
												name={ category.nameEn }
												onClick={ () =>
													remove( category )
												}
											/>
										) }
									</div>
								</div>
								{ editing === category.id ? (
									<CategoryForm
										category={ category }
										onSubmit={ submit }
										onCancel={ () => setEditing( null ) }
										error={ formError }
										busy={ busy }
									/>
								) : null }
							</li>
						) ) }
					</ol>
				</>
			) }
		</ListScreen>
	);
}
