import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Spinner,
} from '@wordpress/components';
import { useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import {
	createCategory,
	deleteCategory,
	listCategories,
	reorderCategories,
	updateCategory,
} from '../api/client.js';
import DeleteButton from '../components/DeleteButton.js';
import EditButton from '../components/EditButton.js';
import Messages from '../components/Messages.js';
import LoadError from '../components/LoadError.js';
import CategoryForm from './CategoryForm.js';

/**
 * The list moved: `id` to index `to`.
 *
 * @param {Object[]} list
 * @param {string}   id
 * @param {number}   to
 * @return {Object[]} New list.
 */
function moveTo( list, id, to ) {
	const from = list.findIndex( ( c ) => c.id === id );
	if ( from < 0 || to < 0 || to >= list.length || from === to ) {
		return list;
	}
	const next = [ ...list ];
	const [ item ] = next.splice( from, 1 );
	next.splice( to, 0, item );
	return next;
}

export default function Categories() {
	const [ categories, setCategories ] = useState( null );
	const [ loadError, setLoadError ] = useState( null );
	const [ error, setError ] = useState( null );
	const [ formError, setFormError ] = useState( null );
	const [ editing, setEditing ] = useState( null ); // category id, 'new' or null
	const [ busy, setBusy ] = useState( false );
	const [ message, setMessage ] = useState( '' );
	const [ dragged, setDragged ] = useState( null );
	const [ dropTarget, setDropTarget ] = useState( null );
	const focusAfter = useRef( null );
	const listRef = useRef( null );

	const load = async () => {
		setLoadError( null );
		try {
			const result = await listCategories();
			setCategories( result.data );
		} catch ( e ) {
			setLoadError( e );
		}
	};
	useEffect( () => {
		load();
	}, [] );

	// Keyboard reordering moves the row; focus stays on the button that moved it.
	useEffect( () => {
		if ( ! focusAfter.current || ! listRef.current ) {
			return;
		}
		const { id, direction } = focusAfter.current;
		focusAfter.current = null;
		const own = listRef.current.querySelector(
			`[data-move="${ id }-${ direction }"]`
		);
		const other = listRef.current.querySelector(
			`[data-move="${ id }-${ direction === 'up' ? 'down' : 'up' }"]`
		);
		const usable = ( button ) =>
			button &&
			! button.disabled &&
			button.getAttribute( 'aria-disabled' ) !== 'true';
		const target = usable( own ) ? own : other;
		if ( target ) {
			target.focus();
		}
	} );

	if ( loadError ) {
		return <LoadError error={ loadError } onRetry={ load } />;
	}
	if ( ! categories ) {
		return <Spinner />;
	}

	const saveOrder = async ( next, announcement ) => {
		const previous = categories;
		setCategories( next );
		setError( null );
		setMessage( '' );
		try {
			const result = await reorderCategories(
				next.map( ( c, index ) => ( {
					id: c.id,
					sortOrder: index + 1,
				} ) )
			);
			setCategories( result.data );
			setMessage( announcement );
		} catch ( e ) {
			setCategories( previous );
			setError( e );
		}
	};

	const move = ( category, direction ) => {
		const index = categories.findIndex( ( c ) => c.id === category.id );
		const to = direction === 'up' ? index - 1 : index + 1;
		focusAfter.current = { id: category.id, direction };
		saveOrder(
			moveTo( categories, category.id, to ),
			sprintf(
				/* translators: 1: category name, 2: new position, 3: number of categories */
				__( '%1$s moved to position %2$d of %3$d.', 'consentry' ),
				category.nameEn,
				to + 1,
				categories.length
			)
		);
	};

	const onDrop = ( event, target ) => {
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
			moveTo( categories, id, to ),
			sprintf(
				/* translators: 1: category name, 2: new position, 3: number of categories */
				__( '%1$s moved to position %2$d of %3$d.', 'consentry' ),
				category ? category.nameEn : id,
				to + 1,
				categories.length
			)
		);
	};

	const submit = async ( fields ) => {
		setBusy( true );
		setFormError( null );
		setMessage( '' );
		try {
			if ( editing === 'new' ) {
				const result = await createCategory( fields );
				setCategories( ( list ) => [ ...list, result.category ] );
				setMessage(
					sprintf(
						/* translators: %s: category name */ __(
							'Category %s created.',
							'consentry'
						),
						result.category.nameEn
					)
				);
			} else {
				const result = await updateCategory( editing, fields );
				setCategories( ( list ) =>
					list.map( ( c ) =>
						c.id === editing ? result.category : c
					)
				);
				setMessage(
					sprintf(
						/* translators: %s: category name */ __(
							'Category %s saved.',
							'consentry'
						),
						result.category.nameEn
					)
				);
			}
			setEditing( null );
		} catch ( e ) {
			// A duplicate key is a conflict: show it at the key field.
			if (
				e.status === 409 &&
				editing === 'new' &&
				! Object.keys( e.fields ).length
			) {
				e.fields = { key: e.message };
			}
			setFormError( e );
		} finally {
			setBusy( false );
		}
	};

	const remove = async ( category ) => {
		if (
			// eslint-disable-next-line no-alert
			! window.confirm(
				sprintf(
					/* translators: %s: category name */ __(
						'Delete the category %s? Visitors’ choices for it stay in the consent log.',
						'consentry'
					),
					category.nameEn
				)
			)
		) {
			return;
		}
		setError( null );
		setMessage( '' );
		try {
			await deleteCategory( category.id );
			setCategories( ( list ) =>
				list.filter( ( c ) => c.id !== category.id )
			);
			setMessage(
				sprintf(
					/* translators: %s: category name */ __(
						'Category %s deleted.',
						'consentry'
					),
					category.nameEn
				)
			);
		} catch ( e ) {
			setError( e );
		}
	};

	const startEditing = ( id ) => {
		setFormError( null );
		setEditing( id );
	};

	return (
		<div className="consentry-screen">
			<Card>
				<CardHeader>
					<h2 className="consentry-card-title">
						{ __( 'Categories', 'consentry' ) }
					</h2>
					<Button
						variant="secondary"
						onClick={ () => startEditing( 'new' ) }
						disabled={ editing === 'new' }
						__next40pxDefaultSize
					>
						{ __( 'Add category', 'consentry' ) }
					</Button>
				</CardHeader>
				<CardBody>
					<p className="consentry-help" id="consentry-reorder-help">
						{ __(
							'The banner lists categories in this order. Drag a row, or use its Move up and Move down buttons.',
							'consentry'
						) }
					</p>
					<div aria-live="polite" className="consentry-messages">
						<Messages
							error={ error }
							onDismissError={ () => setError( null ) }
							message={ message }
							onDismissMessage={ () => setMessage( '' ) }
						/>
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
									onDrop( event, category )
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
												move( category, 'up' )
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
												move( category, 'down' )
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
				</CardBody>
			</Card>
		</div>
	);
}
