import {
	Button,
	Card,
	CardBody,
	CardHeader,
	SelectControl,
	Spinner,
	TextControl,
} from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { exportEventsUrl, listEvents } from '../api/client.js';
import ErrorNotice from '../components/ErrorNotice.js';
import Pager from '../components/Pager.js';
import { actionLabel } from '../components/actions.js';

const PAGE_SIZE = 50;

/**
 * A date input (YYYY-MM-DD, the visitor's calendar day in UTC) as the ISO time the routes take.
 *
 * @param {string}  day YYYY-MM-DD or ''.
 * @param {boolean} end The end of the range: the next day's start (the route's `to` is exclusive).
 * @return {string|undefined} ISO 8601.
 */
export function dayToIso( day, end = false ) {
	if ( ! /^\d{4}-\d{2}-\d{2}$/.test( day || '' ) ) {
		return undefined;
	}
	const date = new Date( `${ day }T00:00:00.000Z` );
	if ( end ) {
		date.setUTCDate( date.getUTCDate() + 1 );
	}
	return date.toISOString();
}

/** @param {Object} categories {key: bool} */
function granted( categories ) {
	const keys = Object.entries( categories || {} )
		.filter( ( [ , value ] ) => value )
		.map( ( [ key ] ) => key );
	return keys.length ? keys.join( ', ' ) : __( 'none', 'consentry' );
}

/** @param {string} iso */
function formatTime( iso ) {
	const date = new Date( iso );
	if ( Number.isNaN( date.getTime() ) ) {
		return iso;
	}
	return date.toLocaleString( undefined, {
		dateStyle: 'medium',
		timeStyle: 'medium',
	} );
}

export default function ConsentLog() {
	const [ filters, setFilters ] = useState( {
		action: '',
		from: '',
		to: '',
	} );
	const [ applied, setApplied ] = useState( {
		action: '',
		from: '',
		to: '',
	} );
	const [ offset, setOffset ] = useState( 0 );
	const [ page, setPage ] = useState( null );
	const [ loading, setLoading ] = useState( false );
	const [ error, setError ] = useState( null );

	const query = {
		action: applied.action || undefined,
		from: dayToIso( applied.from ),
		to: dayToIso( applied.to, true ),
	};

	const load = async () => {
		setLoading( true );
		setError( null );
		try {
			setPage(
				await listEvents( { limit: PAGE_SIZE, offset, ...query } )
			);
		} catch ( e ) {
			setError( e );
		} finally {
			setLoading( false );
		}
	};
	// Loads again when the page or the applied filters change (not on every keystroke in the filters).
	useEffect( () => {
		load();
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [ offset, applied ] );

	const onFilter = ( event ) => {
		event.preventDefault();
		setOffset( 0 );
		setApplied( { ...filters } );
	};

	const events = page ? page.data : [];
	const total = page && page.pagination ? page.pagination.total : 0;
	const actions = [
		{ value: '', label: __( 'All actions', 'consentry' ) },
		{ value: 'accept_all', label: actionLabel( 'accept_all' ) },
		{ value: 'reject_all', label: actionLabel( 'reject_all' ) },
		{ value: 'custom', label: actionLabel( 'custom' ) },
		{ value: 'withdraw', label: actionLabel( 'withdraw' ) },
	];

	return (
		<div className="consentry-screen">
			<Card>
				<CardHeader>
					<h2 className="consentry-card-title">
						{ __( 'Consent log', 'consentry' ) }
					</h2>
					<a
						className="components-button is-secondary"
						href={ exportEventsUrl( query ) }
						download
						data-testid="export-csv"
					>
						{ __( 'Export CSV', 'consentry' ) }
					</a>
				</CardHeader>
				<CardBody>
					<p className="consentry-help">
						{ __(
							'Proof of consent: every choice visitors made, newest first. Addresses are anonymised before they are stored. The date filter counts days in UTC.',
							'consentry'
						) }
					</p>
					<form
						className="consentry-filters"
						onSubmit={ onFilter }
						aria-label={ __(
							'Filter the consent log',
							'consentry'
						) }
					>
						<SelectControl
							__next40pxDefaultSize
							__nextHasNoMarginBottom
							label={ __( 'Action', 'consentry' ) }
							value={ filters.action }
							options={ actions }
							onChange={ ( action ) =>
								setFilters( { ...filters, action } )
							}
						/>
						<TextControl
							__next40pxDefaultSize
							__nextHasNoMarginBottom
							type="date"
							label={ __( 'From', 'consentry' ) }
							value={ filters.from }
							onChange={ ( from ) =>
								setFilters( { ...filters, from } )
							}
						/>
						<TextControl
							__next40pxDefaultSize
							__nextHasNoMarginBottom
							type="date"
							label={ __( 'To', 'consentry' ) }
							value={ filters.to }
							onChange={ ( to ) =>
								setFilters( { ...filters, to } )
							}
						/>
						<Button
							variant="secondary"
							type="submit"
							__next40pxDefaultSize
						>
							{ __( 'Filter', 'consentry' ) }
						</Button>
					</form>
					<div aria-live="polite">
						<ErrorNotice error={ error } />
						{ error ? (
							<Button variant="secondary" onClick={ load }>
								{ __( 'Try again', 'consentry' ) }
							</Button>
						) : null }
					</div>
					{ loading && ! page ? <Spinner /> : null }
					{ page ? (
						<>
							<div
								className="consentry-table-wrap"
								tabIndex={ 0 }
								role="region"
								aria-labelledby="consentry-log-caption"
							>
								<table
									className="widefat striped consentry-table consentry-log"
									aria-busy={ loading }
								>
									<caption
										id="consentry-log-caption"
										className="screen-reader-text"
									>
										{ __( 'Consent events', 'consentry' ) }
									</caption>
									<thead>
										<tr>
											<th scope="col">
												{ __( 'Time', 'consentry' ) }
											</th>
											<th scope="col">
												{ __( 'Action', 'consentry' ) }
											</th>
											<th scope="col">
												{ __(
													'Categories granted',
													'consentry'
												) }
											</th>
											<th scope="col">
												{ __(
													'Policy version',
													'consentry'
												) }
											</th>
											<th scope="col">
												{ __(
													'Language',
													'consentry'
												) }
											</th>
											<th scope="col">
												{ __(
													'Anonymised IP',
													'consentry'
												) }
											</th>
											<th scope="col">
												{ __( 'GPC', 'consentry' ) }
											</th>
											<th scope="col">
												{ __(
													'Consent ID',
													'consentry'
												) }
											</th>
										</tr>
									</thead>
									<tbody>
										{ events.length === 0 ? (
											<tr>
												<td colSpan={ 8 }>
													{ __(
														'No consent events match.',
														'consentry'
													) }
												</td>
											</tr>
										) : null }
										{ events.map( ( event ) => (
											<tr
												key={ event.id }
												data-consent-id={
													event.consentId
												}
											>
												<td
													data-label={ __(
														'Time',
														'consentry'
													) }
												>
													<time
														dateTime={
															event.createdAt
														}
													>
														{ formatTime(
															event.createdAt
														) }
													</time>
												</td>
												<td
													data-label={ __(
														'Action',
														'consentry'
													) }
												>
													{ actionLabel(
														event.action
													) }
												</td>
												<td
													data-label={ __(
														'Categories granted',
														'consentry'
													) }
												>
													{ granted(
														event.categories
													) }
												</td>
												<td
													data-label={ __(
														'Policy version',
														'consentry'
													) }
												>
													{ event.policyVersion }
												</td>
												<td
													data-label={ __(
														'Language',
														'consentry'
													) }
												>
													{ event.language || '—' }
												</td>
												<td
													data-label={ __(
														'Anonymised IP',
														'consentry'
													) }
												>
													{ event.ipAnonymized ||
														'—' }
												</td>
												<td
													data-label={ __(
														'GPC',
														'consentry'
													) }
												>
													{ event.gpc
														? __(
																'Yes',
																'consentry'
															)
														: __(
																'No',
																'consentry'
															) }
												</td>
												<td
													data-label={ __(
														'Consent ID',
														'consentry'
													) }
												>
													<code>
														{ event.consentId }
													</code>
												</td>
											</tr>
										) ) }
									</tbody>
								</table>
							</div>
							<Pager
								label={ __( 'Consent log pages', 'consentry' ) }
								offset={ offset }
								count={ events.length }
								total={ total }
								pageSize={ PAGE_SIZE }
								loading={ loading }
								onOffset={ setOffset }
								emptyText={ __( 'No events', 'consentry' ) }
							>
								{ loading ? <Spinner /> : null }
							</Pager>
						</>
					) : null }
				</CardBody>
			</Card>
		</div>
	);
}
