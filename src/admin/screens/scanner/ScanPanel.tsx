import { Button, TextControl, TextareaControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { FormEvent } from 'react';
import { boot } from '../../boot.ts';
import { asAdminError, cancelScan, startScan } from '../../api/client.ts';
import type { AdminError } from '../../api/client.ts';
import type { Scan } from '../../api/types.ts';
import ErrorNotice from '../../components/ErrorNotice.tsx';
import ScreenCard from '../../components/ScreenCard.tsx';
import { FieldMessage, fieldError } from '../../components/fields.tsx';
import { formatTime } from '../../format.ts';
import { reasonLabel, stateLabel } from './labels.ts';
import Schedule from './Schedule.tsx';

const DEFAULT_BUDGET = 50;

interface Props {
	/** The site's latest scan, null when it has none (or before the list loaded). */
	scan: Scan | null;
	/** The scan list could not be loaded. */
	loadError: AdminError | null;
	/** The last progress request failed (it is tried again). */
	pollError: AdminError | null;
	onStarted: ( scan: Scan ) => void;
	onCancelled: ( scan: Scan ) => void;
}

/** Starts a scan (start URL, page budget, path patterns), then shows its progress with a Cancel button. */
export default function ScanPanel( {
	scan,
	loadError,
	pollError,
	onStarted,
	onCancelled,
}: Props ) {
	const [ startUrl, setStartUrl ] = useState( '' );
	const [ budget, setBudget ] = useState( String( DEFAULT_BUDGET ) );
	const [ include, setInclude ] = useState( '' );
	const [ exclude, setExclude ] = useState( '' );
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState< AdminError | null >( null );
	const active = scan && ( scan.state === 'queued' || scan.state === 'running' );

	const start = async ( event: FormEvent ) => {
		event.preventDefault();
		setBusy( true );
		setError( null );
		try {
			const pageBudget = Number( budget );
			const { scan: started } = await startScan( {
				...( startUrl.trim() ? { startUrl: startUrl.trim() } : {} ),
				...( budget.trim() && Number.isInteger( pageBudget )
					? { pageBudget }
					: {} ),
				...( lines( include ).length
					? { include: lines( include ) }
					: {} ),
				...( lines( exclude ).length
					? { exclude: lines( exclude ) }
					: {} ),
			} );
			onStarted( started );
		} catch ( e ) {
			setError( asAdminError( e ) );
		} finally {
			setBusy( false );
		}
	};

	const cancel = async () => {
		if ( ! scan ) {
			return;
		}
		setBusy( true );
		setError( null );
		try {
			onCancelled( ( await cancelScan( scan.id ) ).scan );
		} catch ( e ) {
			setError( asAdminError( e ) );
		} finally {
			setBusy( false );
		}
	};

	return (
		<ScreenCard title={ __( 'Cookie scanner', 'consentry' ) }>
			<p className="consentry-help">
				{ __(
					'The Consentry service opens this site’s pages in a headless browser three times each: before any choice, after “Accept all” and after “Reject all”. It lists every cookie and storage item it sees, and flags anything that is not necessary yet is set before consent or after “Reject all”.',
					'consentry'
				) }
			</p>
			<ErrorNotice error={ loadError } />
			<div
				className="consentry-scan-progress"
				role="status"
				aria-live="polite"
				aria-atomic="true"
			>
				{ scan ? <Progress scan={ scan } /> : null }
			</div>
			<div aria-live="polite">
				<ErrorNotice error={ error } onRemove={ () => setError( null ) } />
				{ active ? <ErrorNotice error={ pollError } /> : null }
			</div>
			{ active ? (
				<div className="consentry-actions">
					<Button
						variant="secondary"
						isDestructive
						onClick={ cancel }
						isBusy={ busy }
						disabled={ busy }
						__next40pxDefaultSize
					>
						{ __( 'Cancel scan', 'consentry' ) }
					</Button>
				</div>
			) : (
				<form
					className="consentry-scan-form consentry-fields"
					onSubmit={ start }
					noValidate
				>
					<TextControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						type="url"
						label={ __( 'Start page (optional)', 'consentry' ) }
						placeholder={ boot.siteUrl }
						value={ startUrl }
						onChange={ setStartUrl }
						spellCheck={ false }
						autoComplete="off"
						help={
							<FieldMessage
								message={ fieldError( error, 'startUrl' ) }
								help={ __(
									'A page of this site or one of its subdomains. Empty: the home page. The scan follows the sitemap and links from there.',
									'consentry'
								) }
							/>
						}
					/>
					<TextControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						type="number"
						min={ 1 }
						max={ 500 }
						label={ __( 'Page budget', 'consentry' ) }
						value={ budget }
						onChange={ setBudget }
						help={
							<FieldMessage
								message={ fieldError( error, 'pageBudget' ) }
								help={ __(
									'Most pages scanned, the start page included (1 to 500).',
									'consentry'
								) }
							/>
						}
					/>
					<TextareaControl
						__nextHasNoMarginBottom
						label={ __( 'Only pages whose path matches (optional)', 'consentry' ) }
						value={ include }
						onChange={ setInclude }
						rows={ 2 }
						help={
							<FieldMessage
								message={ fieldError( error, 'include' ) }
								help={ __(
									'One pattern a line: a part of the path (/shop/), or a pattern with * (/blog/*). Empty: every page. The start page is always scanned.',
									'consentry'
								) }
							/>
						}
					/>
					<TextareaControl
						__nextHasNoMarginBottom
						label={ __( 'Skip pages whose path matches (optional)', 'consentry' ) }
						value={ exclude }
						onChange={ setExclude }
						rows={ 2 }
						help={
							<FieldMessage
								message={ fieldError( error, 'exclude' ) }
								help={ __(
									'One pattern a line, as above; skipping wins over including.',
									'consentry'
								) }
							/>
						}
					/>
					<div className="consentry-actions">
						<Button
							variant="primary"
							type="submit"
							isBusy={ busy }
							disabled={ busy }
							__next40pxDefaultSize
						>
							{ __( 'Start scan', 'consentry' ) }
						</Button>
					</div>
				</form>
			) }
			<Schedule />
		</ScreenCard>
	);
}

/** The non-empty lines of a text field. */
const lines = ( text: string ) =>
	text
		.split( '\n' )
		.map( ( line ) => line.trim() )
		.filter( Boolean );

/** The scan's state: pages done of pages planned while it runs, how it ended once it has. */
function Progress( { scan }: { scan: Scan } ) {
	if ( scan.state === 'queued' || scan.state === 'running' ) {
		const planned = Math.max( scan.pagesPlanned, scan.pagesDone );
		return (
			<>
				<p className="consentry-scan-progress__text">
					{ scan.state === 'queued'
						? __( 'The scan is waiting to start…', 'consentry' )
						: sprintf(
								/* translators: 1: pages done, 2: pages planned */
								__(
									'Scanning: %1$d of %2$d pages done.',
									'consentry'
								),
								scan.pagesDone,
								planned
						  ) }
				</p>
				<progress
					className="consentry-scan-progress__bar"
					max={ planned || 1 }
					value={ scan.pagesDone }
					aria-label={ __( 'Scan progress', 'consentry' ) }
				/>
			</>
		);
	}
	return (
		<p className="consentry-scan-progress__text">
			{ sprintf(
				/* translators: 1: how the scan ended, 2: date and time, 3: pages scanned */
				__( 'Last scan: %1$s (%2$s), %3$d pages.', 'consentry' ),
				stateLabel( scan.state ),
				formatTime( scan.finishedAt ?? scan.createdAt ),
				scan.pagesDone
			) }
			{ scan.reason ? ` ${ reasonLabel( scan.reason ) }` : '' }
			{ scan.message ? ` ${ scan.message }` : '' }
		</p>
	);
}
