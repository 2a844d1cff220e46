import {
	Button,
	SelectControl,
	Spinner,
	TextControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { FormEvent } from 'react';
import { CONSENT_ACTIONS } from '#shared/consent.ts';
import type { ConsentAction, ConsentChoices } from '#shared/consent.ts';
import { exportEventsUrl, listEvents } from '../api/client.ts';
import type { EventFilters } from '../api/types.ts';
import DataTable from '../components/DataTable.tsx';
import ErrorNotice from '../components/ErrorNotice.tsx';
import Pager from '../components/Pager.tsx';
import ScreenCard from '../components/ScreenCard.tsx';
import { actionLabel } from '../components/actions.ts';
import { formatTime } from '../format.ts';
import { usePaged } from '../hooks/useLoad.ts';

const PAGE_SIZE = 50;

/**
 * A date input (YYYY-MM-DD, the visitor's calendar day in UTC) as the ISO time the routes take.
 *
 * @param day YYYY-MM-DD or ''.
 * @param end The end of the range: the next day's start (the route's `to` is exclusive).
 */
export function dayToIso( day: string, end = false ): string | undefined {
	if ( ! /^\d{4}-\d{2}-\d{2}$/.test( day || '' ) ) {
		return undefined;
	}
	const date = new Date( `${ day }T00:00:00.000Z` );
	if ( end ) {
		date.setUTCDate( date.getUTCDate() + 1 );
	}
	return date.toISOString();
}

function granted( categories: ConsentChoices ): string {
	const keys = Object.entries( categories || {} )
		.filter( ( [ , value ] ) => value )
		.map( ( [ key ] ) => key );
	return keys.length ? keys.join( ', ' ) : __( 'none', 'consentry' );
}

interface Filters {
	action: ConsentAction | '';
	/** YYYY-MM-DD or ''. */
	from: string;
	to: string;
}

const NO_FILTERS: Filters = { action: '', from: '', to: '' };

export default function ConsentLog() {
	// What is typed in the filter form, and what the list shows (applied on Filter).
	const [ filters, setFilters ] = useState( NO_FILTERS );
	const [ applied, setApplied ] = useState( NO_FILTERS );
	const query: EventFilters = {
		action: applied.action || undefined,
		from: dayToIso( applied.from ),
		to: dayToIso( applied.to, true ),
	};
	// Loads again when the page or the applied filters change (not on every keystroke in the filters).
	const log = usePaged(
		( offset ) => listEvents( { limit: PAGE_SIZE, offset, ...query } ),
		[ applied ]
	);

	const onFilter = ( event: FormEvent ) => {
		event.preventDefault();
		log.setOffset( 0 );
		setApplied( { ...filters } );
	};

	const actions: Array< { value: Filters[ 'action' ]; label: string } > = [
		{ value: '', label: __( 'All actions', 'consentry' ) },
		...CONSENT_ACTIONS.map( ( value ) => ( {
			value,
			label: actionLabel( value ),
		} ) ),
	];
	const columns = {
		time: __( 'Time', 'consentry' ),
		action: __( 'Action', 'consentry' ),
		granted: __( 'Categories granted', 'consentry' ),
		policyVersion: __( 'Policy version', 'consentry' ),
		language: __( 'Language', 'consentry' ),
		ip: __( 'Anonymised IP', 'consentry' ),
		gpc: __( 'GPC', 'consentry' ),
		consentId: __( 'Consent ID', 'consentry' ),
	};

	return (
		<div className="consentry-screen">
			<ScreenCard
				title={ __( 'Consent log', 'consentry' ) }
				actions={
					<a
						className="components-button is-secondary"
						href={ exportEventsUrl( query ) }
						download
						data-testid="export-csv"
					>
						{ __( 'Export CSV', 'consentry' ) }
					</a>
				}
			>
				<p className="consentry-help">
					{ __(
						'Proof of consent: every choice visitors made, newest first. Addresses are anonymised before they are stored. The date filter counts days in UTC.',
						'consentry'
					) }
				</p>
				<form
					className="consentry-filters"
					onSubmit={ onFilter }
					aria-label={ __( 'Filter the consent log', 'consentry' ) }
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
						onChange={ ( to ) => setFilters( { ...filters, to } ) }
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
					<ErrorNotice error={ log.error } />
					{ log.error ? (
						<Button variant="secondary" onClick={ log.reload }>
							{ __( 'Try again', 'consentry' ) }
						</Button>
					) : null }
				</div>
				{ log.loading && ! log.data ? <Spinner /> : null }
				{ log.data ? (
					<>
						<DataTable
							captionId="consentry-log-caption"
							caption={ __( 'Consent events', 'consentry' ) }
							className="widefat striped consentry-table consentry-log"
							busy={ log.loading }
							columns={ Object.values( columns ) }
							emptyText={ __(
								'No consent events match.',
								'consentry'
							) }
						>
							{ log.rows.map( ( event ) => (
								<tr
									key={ event.id }
									data-consent-id={ event.consentId }
								>
									<td data-label={ columns.time }>
										<time dateTime={ event.createdAt }>
											{ formatTime( event.createdAt ) }
										</time>
									</td>
									<td data-label={ columns.action }>
										{ actionLabel( event.action ) }
									</td>
									<td data-label={ columns.granted }>
										{ granted( event.categories ) }
									</td>
									<td data-label={ columns.policyVersion }>
										{ event.policyVersion }
									</td>
									<td data-label={ columns.language }>
										{ event.language || '—' }
									</td>
									<td data-label={ columns.ip }>
										{ event.ipAnonymized || '—' }
									</td>
									<td data-label={ columns.gpc }>
										{ event.gpc
											? __( 'Yes', 'consentry' )
											: __( 'No', 'consentry' ) }
									</td>
									<td data-label={ columns.consentId }>
										<code>{ event.consentId }</code>
									</td>
								</tr>
							) ) }
						</DataTable>
						<Pager
							label={ __( 'Consent log pages', 'consentry' ) }
							offset={ log.offset }
							count={ log.rows.length }
							total={ log.total }
							pageSize={ PAGE_SIZE }
							loading={ log.loading }
							onOffset={ log.setOffset }
							emptyText={ __( 'No events', 'consentry' ) }
						>
							{ log.loading ? <Spinner /> : null }
						</Pager>
					</>
				) : null }
			</ScreenCard>
		</div>
	);
}
