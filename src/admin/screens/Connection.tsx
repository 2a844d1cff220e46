import { Button, Spinner, TextControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { FormEvent } from 'react';
import {
	asAdminError,
	connect,
	disconnect,
	getSetupGuide,
	testConnection,
} from '../api/client.ts';
import type { AdminError } from '../api/client.ts';
import type {
	Connection as ConnectionState,
	ConnectionTest,
	Credentials,
} from '../api/types.ts';
import ErrorNotice from '../components/ErrorNotice.tsx';
import Loaded from '../components/Loaded.tsx';
import Messages from '../components/Messages.tsx';
import ScreenCard from '../components/ScreenCard.tsx';
import { FieldMessage, fieldError } from '../components/fields.tsx';
import { useLoad } from '../hooks/useLoad.ts';
import { useNotices } from '../hooks/useNotices.ts';
import SetupCheck from './SetupCheck.tsx';
import SetupSteps from './SetupSteps.tsx';

/** Whether the linked service answers now: checking, its answer, or its error. */
interface Health {
	checking?: boolean;
	result?: ConnectionTest;
	error?: AdminError;
}

const answered = ( result: ConnectionTest ) =>
	sprintf(
		/* translators: 1: service version, 2: milliseconds */
		__( 'The service answered: version %1$s, in %2$d ms.', 'consentry' ),
		result.version,
		Math.round( result.latencyMs || 0 )
	);

/**
 * Service URL and secret key. The key is write-only: never prefilled, only its hint is shown.
 * `connection` is the GET /admin/connection answer; `onConnection` gets the new one.
 */
export default function Connection( {
	connection,
	onConnection,
}: {
	connection: ConnectionState;
	onConnection: ( connection: ConnectionState ) => void;
} ) {
	const [ serviceUrl, setServiceUrl ] = useState(
		connection.serviceUrl || ''
	);
	const [ secretKey, setSecretKey ] = useState( '' );
	// The button at work: 'test', 'connect', 'disconnect' or ''.
	const [ busy, setBusy ] = useState( '' );
	const notices = useNotices();
	const { error } = notices;
	// This host's facts for the set-up steps and the Check.
	const guide = useLoad( getSetupGuide, [] );
	// Whether the linked service answers now (the stored link alone says nothing about that).
	const [ health, setHealth ] = useState< Health | null >( null );
	useEffect( () => {
		if ( ! connection.connected ) {
			setHealth( null );
			return;
		}
		let current = true;
		setHealth( { checking: true } );
		testConnection( {} )
			.then( ( result ) => current && setHealth( { result } ) )
			.catch(
				( e ) => current && setHealth( { error: asAdminError( e ) } )
			);
		return () => {
			current = false;
		};
	}, [ connection.connected, connection.serviceUrl, connection.siteId ] );

	const run = async ( name: string, work: () => Promise< string > ) => {
		setBusy( name );
		await notices.run( work );
		setBusy( '' );
	};

	const onTest = () =>
		run( 'test', async () => {
			const credentials: Credentials = {};
			if ( serviceUrl && serviceUrl !== connection.serviceUrl ) {
				credentials.serviceUrl = serviceUrl;
			}
			if ( secretKey ) {
				credentials.serviceUrl = serviceUrl;
				credentials.secretKey = secretKey;
			}
			return answered( await testConnection( credentials ) );
		} );

	const onConnect = ( event: FormEvent ) => {
		event.preventDefault();
		run( 'connect', async () => {
			const result = await connect( serviceUrl, secretKey );
			setSecretKey( '' );
			onConnection( result );
			return __(
				'Connected. This site is linked to the Consentry service.',
				'consentry'
			);
		} );
	};

	const onDisconnect = () =>
		run( 'disconnect', async () => {
			const result = await disconnect();
			onConnection( {
				...connection,
				...result,
				siteId: null,
				publicKey: null,
				secretKeyHint: null,
			} );
			return __(
				'Disconnected. The secret key was removed from WordPress.',
				'consentry'
			);
		} );

	return (
		<div className="consentry-screen">
			<ScreenCard title={ __( 'Status', 'consentry' ) }>
				<p className="consentry-status" data-testid="connection-status">
					<span
						className={ `consentry-dot ${ connection.connected ? 'is-on' : 'is-off' }` }
						aria-hidden="true"
					/>
					{ connection.connected
						? __( 'Connected', 'consentry' )
						: __( 'Not connected', 'consentry' ) }
				</p>
				{ health ? (
					<div
						className="consentry-health"
						data-testid="service-health"
						aria-live="polite"
					>
						{ health.checking ? (
							<p className="consentry-help">
								{ __( 'Checking the service…', 'consentry' ) }
							</p>
						) : null }
						{ health.result ? (
							<p className="consentry-help">
								{ answered( health.result ) }
							</p>
						) : null }
						<ErrorNotice error={ health.error } />
					</div>
				) : null }
				{ connection.connected ? (
					<dl className="consentry-facts">
						<dt>{ __( 'Service URL', 'consentry' ) }</dt>
						<dd>{ connection.serviceUrl }</dd>
						<dt>{ __( 'Site domain', 'consentry' ) }</dt>
						<dd>{ connection.siteDomain }</dd>
						<dt>{ __( 'Site ID', 'consentry' ) }</dt>
						<dd>
							<code>{ connection.siteId }</code>
						</dd>
						<dt>{ __( 'Public key', 'consentry' ) }</dt>
						<dd>
							<code>{ connection.publicKey }</code>
						</dd>
						<dt>{ __( 'Secret key', 'consentry' ) }</dt>
						<dd>
							<code>{ connection.secretKeyHint }</code>
						</dd>
					</dl>
				) : null }
			</ScreenCard>

			<ScreenCard title={ __( 'Set-up steps for this server', 'consentry' ) }>
				<Loaded load={ guide }>
					{ ( facts ) =>
						connection.connected ? (
							<details className="consentry-details">
								<summary>
									{ __(
										'Show the steps (service, systemd unit, backups)',
										'consentry'
									) }
								</summary>
								<SetupSteps guide={ facts } />
							</details>
						) : (
							<SetupSteps guide={ facts } />
						)
					}
				</Loaded>
			</ScreenCard>

			<ScreenCard
				title={
					connection.connected
						? __( 'Change connection', 'consentry' )
						: __( 'Connect', 'consentry' )
				}
			>
				<form onSubmit={ onConnect } className="consentry-form">
					<TextControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						label={ __( 'Service URL', 'consentry' ) }
						type="url"
						value={ serviceUrl }
						onChange={ setServiceUrl }
						placeholder="https://consent.example.com"
						autoComplete="url"
						required
						help={
							<FieldMessage
								message={ fieldError( error, 'serviceUrl' ) }
								help={ __(
									'Where the Consentry service runs, as WordPress reaches it.',
									'consentry'
								) }
							/>
						}
					/>
					<TextControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						label={ __( 'Secret key', 'consentry' ) }
						type="password"
						value={ secretKey }
						onChange={ setSecretKey }
						autoComplete="new-password"
						spellCheck={ false }
						placeholder={ connection.secretKeyHint || 'ck_…' }
						help={
							<FieldMessage
								message={ fieldError( error, 'secretKey' ) }
								help={
									connection.secretKeyHint
										? sprintf(
												/* translators: %s: the end of the stored key, e.g. ck_…abcd */
												__(
													'A key is stored (%s). It is never shown again; enter a new one to replace it.',
													'consentry'
												),
												connection.secretKeyHint
											)
										: __(
												'The account’s secret key (ck_…). It stays on the server and is never shown again.',
												'consentry'
											)
								}
							/>
						}
					/>
					<div className="consentry-actions">
						<Button
							variant="primary"
							type="submit"
							isBusy={ busy === 'connect' }
							disabled={
								Boolean( busy ) || ! serviceUrl || ! secretKey
							}
						>
							{ __( 'Connect', 'consentry' ) }
						</Button>
						<Button
							variant="secondary"
							onClick={ onTest }
							isBusy={ busy === 'test' }
							disabled={ Boolean( busy ) || ! serviceUrl }
						>
							{ __( 'Test connection', 'consentry' ) }
						</Button>
						{ connection.connected ? (
							<Button
								variant="tertiary"
								isDestructive
								onClick={ onDisconnect }
								isBusy={ busy === 'disconnect' }
								disabled={ Boolean( busy ) }
							>
								{ __( 'Disconnect', 'consentry' ) }
							</Button>
						) : null }
						{ busy ? <Spinner /> : null }
					</div>
				</form>
				<div aria-live="polite">
					<Messages notices={ notices } />
				</div>
			</ScreenCard>

			<ScreenCard title={ __( 'Check', 'consentry' ) }>
				<Loaded load={ guide }>
					{ ( facts ) => <SetupCheck guide={ facts } /> }
				</Loaded>
			</ScreenCard>
		</div>
	);
}
