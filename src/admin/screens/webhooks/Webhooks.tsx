import { Button, ToggleControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import {
	asAdminError,
	createWebhook,
	deleteWebhook,
	listWebhooks,
	rotateWebhookSecret,
	updateWebhook,
} from '../../api/client.ts';
import type { AdminError } from '../../api/client.ts';
import type { WebhookEndpoint, WebhookFields } from '../../api/types.ts';
import DeleteButton from '../../components/DeleteButton.tsx';
import EditButton from '../../components/EditButton.tsx';
import ListScreen from '../../components/ListScreen.tsx';
import Messages from '../../components/Messages.tsx';
import { useList } from '../../hooks/useLoad.ts';
import { useNotices } from '../../hooks/useNotices.ts';
import DeliveryLog from './DeliveryLog.tsx';
import EndpointForm from './EndpointForm.tsx';
import SecretNotice from './SecretNotice.tsx';
import type { ShownSecret } from './SecretNotice.tsx';
import { eventLabel } from './labels.ts';
import './Webhooks.scss';

/** The account's webhook endpoints: add, edit, enable, rotate, delete, and each one's delivery log. */
export default function Webhooks() {
	const list = useList( async () => ( await listWebhooks() ).data, [] );
	const { replace } = list;
	const notices = useNotices();
	const [ formError, setFormError ] = useState< AdminError | null >( null );
	// Endpoint id, 'new' or null.
	const [ editing, setEditing ] = useState< string | null >( null );
	// Endpoint ids with the log open.
	const [ logs, setLogs ] = useState< string[] >( [] );
	const [ busy, setBusy ] = useState( false );
	const [ shown, setShown ] = useState< ShownSecret | null >( null );

	const startEditing = ( id: string | null ) => {
		setFormError( null );
		setEditing( id );
	};

	const submit = async ( fields: WebhookFields ) => {
		setBusy( true );
		setFormError( null );
		notices.clear();
		try {
			if ( editing === 'new' ) {
				const result = await createWebhook( fields );
				list.add( result.endpoint );
				setShown( { ...result, rotated: false } );
			} else if ( editing ) {
				const { endpoint } = await updateWebhook( editing, fields );
				replace( endpoint );
				notices.setMessage(
					sprintf(
						/* translators: %s: endpoint URL */ __(
							'Endpoint %s saved.',
							'consentry'
						),
						endpoint.url
					)
				);
			}
			setEditing( null );
		} catch ( e ) {
			setFormError( asAdminError( e ) );
		} finally {
			setBusy( false );
		}
	};

	const setEnabled = ( endpoint: WebhookEndpoint, enabled: boolean ) =>
		notices.run(
			async () => {
				replace( { ...endpoint, enabled } );
				const result = await updateWebhook( endpoint.id, { enabled } );
				replace( result.endpoint );
				return enabled
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
						);
			},
			() => replace( endpoint )
		);

	const rotate = ( endpoint: WebhookEndpoint ) =>
		notices.runConfirmed(
			sprintf(
				/* translators: %s: endpoint URL */ __(
					'Give %s a new signing secret? The current one stops working at once: your receiver needs the new one.',
					'consentry'
				),
				endpoint.url
			),
			async () => {
				const result = await rotateWebhookSecret( endpoint.id );
				replace( result.endpoint );
				setShown( { ...result, rotated: true } );
			}
		);

	const remove = ( endpoint: WebhookEndpoint ) =>
		notices.runConfirmed(
			sprintf(
				/* translators: %s: endpoint URL */ __(
					'Delete the endpoint %s? Its delivery log goes with it, and nothing more is sent to it.',
					'consentry'
				),
				endpoint.url
			),
			async () => {
				await deleteWebhook( endpoint.id );
				list.remove( endpoint.id );
				setLogs( ( ids ) =>
					ids.filter( ( id ) => id !== endpoint.id )
				);
				if ( shown && shown.endpoint.id === endpoint.id ) {
					setShown( null );
				}
				return sprintf(
					/* translators: %s: endpoint URL */ __(
						'Endpoint %s deleted.',
						'consentry'
					),
					endpoint.url
				);
			}
		);

	const toggleLog = ( id: string ) =>
		setLogs( ( ids ) =>
			ids.includes( id )
				? ids.filter( ( open ) => open !== id )
				: [ ...ids, id ]
		);

	return (
		<ListScreen
			load={ list }
			title={ __( 'Webhooks', 'consentry' ) }
			actions={
				<Button
					variant="secondary"
					onClick={ () => startEditing( 'new' ) }
					disabled={ editing === 'new' }
					accessibleWhenDisabled
					__next40pxDefaultSize
				>
					{ __( 'Add endpoint', 'consentry' ) }
				</Button>
			}
		>
			{ ( endpoints ) => (
				<>
					<p className="consentry-help">
						{ __(
							'Consentry sends a signed JSON POST to these URLs when visitors make a choice or the pageview quota runs low. They belong to the service account: every site connected with the same secret key shares them.',
							'consentry'
						) }
					</p>
					<div aria-live="polite" className="consentry-messages">
						<Messages notices={ notices } />
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
				</>
			) }
		</ListScreen>
	);
}
