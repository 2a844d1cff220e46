import {
	Button,
	Card,
	CardBody,
	CardHeader,
	CheckboxControl,
	Spinner,
	TextControl,
	ToggleControl,
} from '@wordpress/components';
import { useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import {
	createWebhook,
	deleteWebhook,
	listWebhookDeliveries,
	listWebhooks,
	redeliverWebhook,
	rotateWebhookSecret,
	updateWebhook,
} from '../api/client.js';
import DeleteButton from '../components/DeleteButton.js';
import EditButton from '../components/EditButton.js';
import Pager from '../components/Pager.js';
import Messages from '../components/Messages.js';
import FormActions from '../components/FormActions.js';
import LoadError from '../components/LoadError.js';
import { FieldMessage, fieldError } from '../components/fields.js';
import './Webhooks.scss';

const DELIVERY_PAGE = 20;

/** The events an endpoint can subscribe to, as the service names them. */
const EVENTS = [
	{
		type: 'consent.given',
		label: __( 'Consent given (accept all)', 'consentry' ),
	},
	{
		type: 'consent.rejected',
		label: __( 'Consent rejected (reject all)', 'consentry' ),
	},
	{
		type: 'consent.updated',
		label: __(
			'Consent updated (custom choice or withdrawal)',
			'consentry'
		),
	},
	{
		type: 'pageview.limit_warning',
		label: __( 'Pageview limit warning (80, 90 and 100 %)', 'consentry' ),
	},
];

/**
 * @param {string} type Event type.
 * @return {string} Label.
 */
function eventLabel( type ) {
	const event = EVENTS.find( ( e ) => e.type === type );
	return event ? event.label : type;
}

/**
 * @param {string} state pending | succeeded | failed
 * @return {string} Label.
 */
function stateLabel( state ) {
	switch ( state ) {
		case 'pending':
			return __( 'Pending', 'consentry' );
		case 'succeeded':
			return __( 'Delivered', 'consentry' );
		case 'failed':
			return __( 'Failed', 'consentry' );
		default:
			return state;
	}
}

/** @param {string} iso */
function formatTime( iso ) {
	const date = new Date( iso );
	if ( ! iso || Number.isNaN( date.getTime() ) ) {
		return iso || '';
	}
	return date.toLocaleString( undefined, {
		dateStyle: 'medium',
		timeStyle: 'medium',
	} );
}

/**
 * Copies text: the Clipboard API where the page may use it, else the selected field.
 *
 * @param {string}           text
 * @param {HTMLInputElement} input Field holding the text.
 * @return {Promise<boolean>} Whether it was copied.
 */
async function copyText( text, input ) {
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

/**
 * The signing secret, shown once after create or rotate, in a read-only field to copy.
 *
 * @param {Object}   props
 * @param {Object}   props.shown     { endpoint, secret, rotated }.
 * @param {Function} props.onDismiss
 */
function SecretNotice( { shown, onDismiss } ) {
	const ref = useRef( null );
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

/**
 * Add or edit one endpoint. Errors from WordPress or the service arrive in `error.fields`.
 *
 * @param {Object}   props
 * @param {Object}   [props.endpoint] The endpoint being edited; none when adding.
 * @param {Function} props.onSubmit   Called with the fields to send.
 * @param {Function} props.onCancel
 * @param {Object}   [props.error]    AdminError of the last submit.
 * @param {boolean}  props.busy
 */
function EndpointForm( { endpoint, onSubmit, onCancel, error, busy } ) {
	const isNew = ! endpoint;
	const [ values, setValues ] = useState( {
		url: endpoint ? endpoint.url : '',
		description: endpoint ? endpoint.description : '',
		events: endpoint ? endpoint.events : EVENTS.map( ( e ) => e.type ),
		enabled: endpoint ? endpoint.enabled : true,
	} );
	const set = ( key ) => ( value ) =>
		setValues( ( current ) => ( { ...current, [ key ]: value } ) );
	const toggleEvent = ( type ) => ( checked ) =>
		setValues( ( current ) => ( {
			...current,
			events: checked
				? [ ...current.events.filter( ( t ) => t !== type ), type ]
				: current.events.filter( ( t ) => t !== type ),
		} ) );
	const idPrefix = `consentry-webhook-${ endpoint ? endpoint.id : 'new' }`;
	const eventsError = fieldError( error, 'events' );

	const submit = ( event ) => {
		event.preventDefault();
		onSubmit( {
			url: values.url.trim(),
			description: values.description.trim(),
			// In the order of the list, whatever order they were ticked in.
			events: EVENTS.map( ( e ) => e.type ).filter( ( t ) =>
				values.events.includes( t )
			),
			enabled: Boolean( values.enabled ),
		} );
	};

	return (
		<form
			className="consentry-webhook-form consentry-fields"
			onSubmit={ submit }
			noValidate
			aria-labelledby={ `${ idPrefix }-title` }
		>
			<h3 id={ `${ idPrefix }-title` } className="consentry-form-title">
				{ isNew
					? __( 'New endpoint', 'consentry' )
					: __( 'Edit endpoint', 'consentry' ) }
			</h3>
			<TextControl
				__next40pxDefaultSize
				__nextHasNoMarginBottom
				type="url"
				label={ __( 'Endpoint URL', 'consentry' ) }
				value={ values.url }
				onChange={ set( 'url' ) }
				required
				spellCheck={ false }
				autoComplete="off"
				help={
					<FieldMessage
						message={ fieldError( error, 'url' ) }
						help={ __(
							'An http or https URL of your receiver. Deliveries to private or local addresses are refused unless the service allows them.',
							'consentry'
						) }
					/>
				}
			/>
			<TextControl
				__next40pxDefaultSize
				__nextHasNoMarginBottom
				label={ __( 'Description', 'consentry' ) }
				value={ values.description }
				onChange={ set( 'description' ) }
				help={
					<FieldMessage
						message={ fieldError( error, 'description' ) }
						help={ __(
							'Optional: what receives these events.',
							'consentry'
						) }
					/>
				}
			/>
			<fieldset
				className="consentry-webhook-form__events"
				aria-describedby={ `${ idPrefix }-events-help` }
			>
				<legend>{ __( 'Events', 'consentry' ) }</legend>
				{ EVENTS.map( ( { type, label } ) => (
					<CheckboxControl
						key={ type }
						__nextHasNoMarginBottom
						label={ label }
						help={ <code>{ type }</code> }
						checked={ values.events.includes( type ) }
						onChange={ toggleEvent( type ) }
					/>
				) ) }
				<p
					id={ `${ idPrefix }-events-help` }
					className="consentry-help"
				>
					<FieldMessage
						message={ eventsError }
						help={ __( 'Pick at least one event.', 'consentry' ) }
					/>
				</p>
			</fieldset>
			<ToggleControl
				__nextHasNoMarginBottom
				label={ __( 'Enabled', 'consentry' ) }
				help={ __(
					'A disabled endpoint keeps its settings but gets no deliveries.',
					'consentry'
				) }
				checked={ values.enabled }
				onChange={ set( 'enabled' ) }
			/>
			<FormActions
				error={ error }
				busy={ busy }
				submitLabel={
					isNew
						? __( 'Add endpoint', 'consentry' )
						: __( 'Save endpoint', 'consentry' )
				}
				onCancel={ onCancel }
			/>
		</form>
	);
}

/**
 * One endpoint's delivery log, newest first, with Redeliver on each row.
 *
 * @param {Object} props
 * @param {Object} props.endpoint
 */
function DeliveryLog( { endpoint } ) {
	const [ offset, setOffset ] = useState( 0 );
	const [ page, setPage ] = useState( null );
	const [ loading, setLoading ] = useState( false );
	const [ error, setError ] = useState( null );
	const [ message, setMessage ] = useState( '' );
	const [ redelivering, setRedelivering ] = useState( null );
	const captionId = `consentry-deliveries-${ endpoint.id }`;

	const load = async () => {
		setLoading( true );
		setError( null );
		try {
			setPage(
				await listWebhookDeliveries( endpoint.id, {
					limit: DELIVERY_PAGE,
					offset,
				} )
			);
		} catch ( e ) {
			setError( e );
		} finally {
			setLoading( false );
		}
	};
	useEffect( () => {
		load();
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [ endpoint.id, offset ] );

	const redeliver = async ( delivery ) => {
		setRedelivering( delivery.id );
		setError( null );
		setMessage( '' );
		try {
			await redeliverWebhook( endpoint.id, delivery.id );
			setMessage(
				sprintf(
					/* translators: %s: event type */ __(
						'%s queued again as a new delivery.',
						'consentry'
					),
					delivery.eventType
				)
			);
			if ( offset === 0 ) {
				await load();
			} else {
				setOffset( 0 );
			}
		} catch ( e ) {
			setError( e );
		} finally {
			setRedelivering( null );
		}
	};

	const deliveries = page ? page.data : [];
	const total = page && page.pagination ? page.pagination.total : 0;
	const columns = {
		time: __( 'Time', 'consentry' ),
		event: __( 'Event', 'consentry' ),
		state: __( 'State', 'consentry' ),
		attempts: __( 'Attempts', 'consentry' ),
		status: __( 'Last status', 'consentry' ),
		lastError: __( 'Last error', 'consentry' ),
		actions: __( 'Actions', 'consentry' ),
	};

	return (
		<div className="consentry-webhook__log" data-testid="webhook-log">
			<div className="consentry-actions">
				<h4 className="consentry-form-title">
					{ __( 'Delivery log', 'consentry' ) }
				</h4>
				<Button
					size="compact"
					variant="secondary"
					onClick={ load }
					disabled={ loading }
					accessibleWhenDisabled
				>
					{ __( 'Refresh', 'consentry' ) }
				</Button>
				{ loading ? <Spinner /> : null }
			</div>
			<div aria-live="polite" className="consentry-messages">
				<Messages
					error={ error }
					onDismissError={ () => setError( null ) }
					message={ message }
					onDismissMessage={ () => setMessage( '' ) }
				/>
			</div>
			{ page ? (
				<>
					<div
						className="consentry-table-wrap"
						tabIndex={ 0 }
						role="region"
						aria-labelledby={ captionId }
					>
						<table
							className="widefat striped consentry-table consentry-log consentry-deliveries"
							aria-busy={ loading }
						>
							<caption
								id={ captionId }
								className="screen-reader-text"
							>
								{ sprintf(
									/* translators: %s: endpoint URL */ __(
										'Deliveries to %s',
										'consentry'
									),
									endpoint.url
								) }
							</caption>
							<thead>
								<tr>
									{ Object.values( columns ).map( ( c ) => (
										<th scope="col" key={ c }>
											{ c }
										</th>
									) ) }
								</tr>
							</thead>
							<tbody>
								{ deliveries.length === 0 ? (
									<tr>
										<td colSpan={ 7 }>
											{ __(
												'No deliveries yet. They appear here when a subscribed event happens.',
												'consentry'
											) }
										</td>
									</tr>
								) : null }
								{ deliveries.map( ( delivery ) => (
									<tr
										key={ delivery.id }
										data-delivery-id={ delivery.id }
										data-state={ delivery.state }
									>
										<td data-label={ columns.time }>
											<time
												dateTime={ delivery.createdAt }
											>
												{ formatTime(
													delivery.createdAt
												) }
											</time>
										</td>
										<td data-label={ columns.event }>
											<code>{ delivery.eventType }</code>
										</td>
										<td data-label={ columns.state }>
											<span
												className={ `consentry-badge is-${ delivery.state }` }
											>
												{ stateLabel( delivery.state ) }
											</span>
											{ delivery.state === 'pending' &&
											delivery.nextAttemptAt ? (
												<span className="consentry-help">
													{ ' ' }
													{ sprintf(
														/* translators: %s: date and time */ __(
															'next try %s',
															'consentry'
														),
														formatTime(
															delivery.nextAttemptAt
														)
													) }
												</span>
											) : null }
										</td>
										<td data-label={ columns.attempts }>
											{ sprintf(
												/* translators: 1: tries made, 2: tries allowed */ __(
													'%1$d of %2$d',
													'consentry'
												),
												delivery.attempts,
												delivery.maxAttempts
											) }
										</td>
										<td data-label={ columns.status }>
											{ delivery.lastStatus ?? '—' }
										</td>
										<td data-label={ columns.lastError }>
											{ delivery.lastError || '—' }
										</td>
										<td data-label={ columns.actions }>
											<Button
												size="compact"
												variant="secondary"
												onClick={ () =>
													redeliver( delivery )
												}
												isBusy={
													redelivering === delivery.id
												}
												disabled={ Boolean(
													redelivering
												) }
												accessibleWhenDisabled
												aria-label={ sprintf(
													/* translators: 1: event type, 2: date and time */ __(
														'Redeliver %1$s of %2$s',
														'consentry'
													),
													delivery.eventType,
													formatTime(
														delivery.createdAt
													)
												) }
											>
												{ __(
													'Redeliver',
													'consentry'
												) }
											</Button>
										</td>
									</tr>
								) ) }
							</tbody>
						</table>
					</div>
					{ total > DELIVERY_PAGE ? (
						<Pager
							label={ sprintf(
								/* translators: %s: endpoint URL */ __(
									'Delivery log pages of %s',
									'consentry'
								),
								endpoint.url
							) }
							offset={ offset }
							count={ deliveries.length }
							total={ total }
							pageSize={ DELIVERY_PAGE }
							loading={ loading }
							onOffset={ setOffset }
						/>
					) : null }
				</>
			) : null }
		</div>
	);
}

export default function Webhooks() {
	const [ endpoints, setEndpoints ] = useState( null );
	const [ loadError, setLoadError ] = useState( null );
	const [ error, setError ] = useState( null );
	const [ formError, setFormError ] = useState( null );
	const [ editing, setEditing ] = useState( null ); // endpoint id, 'new' or null
	const [ logs, setLogs ] = useState( [] ); // endpoint ids with the log open
	const [ busy, setBusy ] = useState( false );
	const [ message, setMessage ] = useState( '' );
	const [ shown, setShown ] = useState( null ); // { endpoint, secret, rotated }

	const load = async () => {
		setLoadError( null );
		try {
			const result = await listWebhooks();
			setEndpoints( result.data );
		} catch ( e ) {
			setLoadError( e );
		}
	};
	useEffect( () => {
		load();
	}, [] );

	if ( loadError ) {
		return <LoadError error={ loadError } onRetry={ load } />;
	}
	if ( ! endpoints ) {
		return <Spinner />;
	}

	const replace = ( endpoint ) =>
		setEndpoints( ( list ) =>
			list.map( ( e ) => ( e.id === endpoint.id ? endpoint : e ) )
		);

	const startEditing = ( id ) => {
		setFormError( null );
		setEditing( id );
	};

	const submit = async ( fields ) => {
		setBusy( true );
		setFormError( null );
		setError( null );
		setMessage( '' );
		try {
			if ( editing === 'new' ) {
				const result = await createWebhook( fields );
				setEndpoints( ( list ) => [ ...list, result.endpoint ] );
				setShown( {
					endpoint: result.endpoint,
					secret: result.secret,
					rotated: false,
				} );
			} else {
				const result = await updateWebhook( editing, fields );
				replace( result.endpoint );
				setMessage(
					sprintf(
						/* translators: %s: endpoint URL */ __(
							'Endpoint %s saved.',
							'consentry'
						),
						result.endpoint.url
					)
				);
			}
			setEditing( null );
		} catch ( e ) {
			setFormError( e );
		} finally {
			setBusy( false );
		}
	};

	const setEnabled = async ( endpoint, enabled ) => {
		setError( null );
		setMessage( '' );
		replace( { ...endpoint, enabled } );
		try {
			const result = await updateWebhook( endpoint.id, { enabled } );
			replace( result.endpoint );
			setMessage(
				enabled
					? sprintf(
							/* translators: %s: endpoint URL */ __(
								'Endpoint %s enabled.',
								'consentry'
							),
							endpoint.url
						)
					: sprintf(
							/* translators: %s: endpoint URL */ __(
								'Endpoint %s disabled: it gets no deliveries.',
								'consentry'
							),
							endpoint.url
						)
			);
		} catch ( e ) {
			replace( endpoint );
			setError( e );
		}
	};

	// Asks before a change that cannot be undone; on yes, clears the messages.
	const confirmed = ( question ) => {
		// eslint-disable-next-line no-alert
		if ( ! window.confirm( question ) ) {
			return false;
		}
		setError( null );
		setMessage( '' );
		return true;
	};

	const rotate = async ( endpoint ) => {
		if (
			! confirmed(
				sprintf(
					/* translators: %s: endpoint URL */ __(
						'Give %s a new signing secret? The current one stops working at once: your receiver needs the new one.',
						'consentry'
					),
					endpoint.url
				)
			)
		) {
			return;
		}
		try {
			const result = await rotateWebhookSecret( endpoint.id );
			replace( result.endpoint );
			setShown( {
				endpoint: result.endpoint,
				secret: result.secret,
				rotated: true,
			} );
		} catch ( e ) {
			setError( e );
		}
	};

	const remove = async ( endpoint ) => {
		if (
			! confirmed(
				sprintf(
					/* translators: %s: endpoint URL */ __(
						'Delete the endpoint %s? Its delivery log goes with it, and nothing more is sent to it.',
						'consentry'
					),
					endpoint.url
				)
			)
		) {
			return;
		}
		try {
			await deleteWebhook( endpoint.id );
			setEndpoints( ( list ) =>
				list.filter( ( e ) => e.id !== endpoint.id )
			);
			setLogs( ( list ) => list.filter( ( id ) => id !== endpoint.id ) );
			if ( shown && shown.endpoint.id === endpoint.id ) {
				setShown( null );
			}
			setMessage(
				sprintf(
					/* translators: %s: endpoint URL */ __(
						'Endpoint %s deleted.',
						'consentry'
					),
					endpoint.url
				)
			);
		} catch ( e ) {
			setError( e );
		}
	};

	const toggleLog = ( id ) =>
		setLogs( ( list ) =>
			list.includes( id )
				? list.filter( ( open ) => open !== id )
				: [ ...list, id ]
		);

	return (
		<div className="consentry-screen">
			<Card>
				<CardHeader>
					<h2 className="consentry-card-title">
						{ __( 'Webhooks', 'consentry' ) }
					</h2>
					<Button
						variant="secondary"
						onClick={ () => startEditing( 'new' ) }
						disabled={ editing === 'new' }
						accessibleWhenDisabled
						__next40pxDefaultSize
					>
						{ __( 'Add endpoint', 'consentry' ) }
					</Button>
				</CardHeader>
				<CardBody>
					<p className="consentry-help">
						{ __(
							'Consentry sends a signed JSON POST to these URLs when visitors make a choice or the pageview quota runs low. They belong to the service account: every site connected with the same secret key shares them.',
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
					{ shown ? (
						<SecretNotice
							shown={ shown }
							onDismiss={ () => setShown( null ) }
						/>
					) : null }
					{ editing === 'new' ? (
						<EndpointForm
							onSubmit={ submit }
							onCancel={ () => setEditing( null ) }
							error={ formError }
							busy={ busy }
						/>
					) : null }
					{ endpoints.length === 0 && editing !== 'new' ? (
						<p className="consentry-webhooks__empty">
							{ __(
								'No endpoints yet. Add one to receive consent events in your own systems.',
								'consentry'
							) }
						</p>
					) : null }
					<ul className="consentry-webhooks">
						{ endpoints.map( ( endpoint ) => (
							<li
								key={ endpoint.id }
								className="consentry-webhook"
								data-webhook-id={ endpoint.id }
							>
								<div className="consentry-webhook__row">
									<div className="consentry-webhook__main">
										<code className="consentry-webhook__url">
											{ endpoint.url }
										</code>
										{ endpoint.description ? (
											<p className="consentry-webhook__description">
												{ endpoint.description }
											</p>
										) : null }
										<ul
											className="consentry-badges"
											aria-label={ __(
												'Events',
												'consentry'
											) }
										>
											{ endpoint.events.map( ( type ) => (
												<li
													key={ type }
													className="consentry-badge"
													title={ eventLabel( type ) }
												>
													{ type }
												</li>
											) ) }
										</ul>
										<ToggleControl
											__nextHasNoMarginBottom
											className="consentry-webhook__enabled"
											label={
												<>
													{ __(
														'Enabled',
														'consentry'
													) }
													<span className="screen-reader-text">
														{ ' ' }
														{ endpoint.url }
													</span>
												</>
											}
											checked={ endpoint.enabled }
											onChange={ ( enabled ) =>
												setEnabled( endpoint, enabled )
											}
										/>
									</div>
									<div className="consentry-webhook__buttons">
										<EditButton
											name={ endpoint.url }
											expanded={ editing === endpoint.id }
											onClick={ () =>
												startEditing(
													editing === endpoint.id
														? null
														: endpoint.id
												)
											}
										/>
										<Button
											size="compact"
											variant="secondary"
											onClick={ () =>
												toggleLog( endpoint.id )
											}
											aria-expanded={ logs.includes(
												endpoint.id
											) }
											aria-label={ sprintf(
												/* translators: %s: endpoint URL */ __(
													'Delivery log of %s',
													'consentry'
												),
												endpoint.url
											) }
										>
											{ __(
												'Delivery log',
												'consentry'
											) }
										</Button>
										<Button
											size="compact"
											variant="tertiary"
											onClick={ () => rotate( endpoint ) }
											aria-label={ sprintf(
												/* translators: %s: endpoint URL */ __(
													'Rotate secret of %s',
													'consentry'
												),
												endpoint.url
											) }
										>
											{ __(
												'Rotate secret',
												'consentry'
											) }
										</Button>
										<DeleteButton
											name={ endpoint.url }
											onClick={ () => remove( endpoint ) }
										/>
									</div>
								</div>
								{ editing === endpoint.id ? (
									<EndpointForm
										endpoint={ endpoint }
										onSubmit={ submit }
										onCancel={ () => setEditing( null ) }
										error={ formError }
										busy={ busy }
									/>
								) : null }
								{ logs.includes( endpoint.id ) ? (
									<DeliveryLog endpoint={ endpoint } />
								) : null }
							</li>
						) ) }
					</ul>
				</CardBody>
			</Card>
		</div>
	);
}
