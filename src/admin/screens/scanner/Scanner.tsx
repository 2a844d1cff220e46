import { useEffect, useRef, useState } from '@wordpress/element';
import { SCAN_FINAL_STATES } from '#shared/consent.ts';
import type { ScanState } from '#shared/consent.ts';
import {
	asAdminError,
	getScan,
	listCategories,
	listInventory,
	listScans,
} from '../../api/client.ts';
import type { AdminError } from '../../api/client.ts';
import type { Scan, ScanDetail } from '../../api/types.ts';
import Loaded from '../../components/Loaded.tsx';
import { useList, useLoad } from '../../hooks/useLoad.ts';
import Declaration from './Declaration.tsx';
import Inventory from './Inventory.tsx';
import ScanPanel from './ScanPanel.tsx';
import ScanResults from './ScanResults.tsx';
import './Scanner.scss';

/**
 * How often a running scan is asked for its progress, at least: a slow answer
 * (a busy WordPress) waits as long again, so the screen never takes more than
 * half of a small server from the scan that is loading its pages.
 */
const POLL_MS = 1500;

export const isFinal = ( state: ScanState ) =>
	( SCAN_FINAL_STATES as readonly ScanState[] ).includes( state );

/**
 * The Scanner screen: start a scan of this site and watch it, its results
 * (violations first, then the items per category), the cookie inventory to
 * classify and edit, and the cookie declaration printed from it.
 */
export default function Scanner() {
	const latest = useLoad( () => listScans( { limit: 1 } ), [] );
	const categories = useLoad(
		async () => ( await listCategories() ).data,
		[]
	);
	const inventory = useList( listInventory, [] );
	const [ scan, setScan ] = useState< Scan | null >( null );
	const [ detail, setDetail ] = useState< ScanDetail | null >( null );
	const [ pollError, setPollError ] = useState< AdminError | null >( null );
	// Bumped when the inventory changed, so the declaration card loads again.
	const [ inventoryVersion, setInventoryVersion ] = useState( 0 );
	const lastPollMs = useRef( 0 );

	useEffect( () => {
		if ( latest.data ) {
			setScan( latest.data.data[ 0 ] ?? null );
		}
	}, [ latest.data ] );

	// A queued or running scan is asked again until it ends; an ended one is
	// fetched once with what it found.
	useEffect( () => {
		if ( ! scan ) {
			return undefined;
		}
		let stopped = false;
		const fetchDetail = async () => {
			const started = Date.now();
			try {
				const answer = await getScan( scan.id );
				lastPollMs.current = Date.now() - started;
				if ( stopped ) {
					return;
				}
				setPollError( null );
				if ( isFinal( answer.scan.state ) ) {
					setDetail( answer );
					if ( ! isFinal( scan.state ) ) {
						setScan( answer.scan );
						// The scan added to the inventory.
						await inventory.reload();
						setInventoryVersion( ( v ) => v + 1 );
					}
				} else {
					setScan( answer.scan );
				}
			} catch ( e ) {
				if ( ! stopped ) {
					setPollError( asAdminError( e ) );
					// Keep asking: the service may be back next time.
					setScan( { ...scan } );
				}
			}
		};
		if ( isFinal( scan.state ) ) {
			if ( detail?.scan.id !== scan.id ) {
				fetchDetail();
			}
			return () => {
				stopped = true;
			};
		}
		const timer = window.setTimeout(
			fetchDetail,
			Math.max( POLL_MS, lastPollMs.current )
		);
		return () => {
			stopped = true;
			window.clearTimeout( timer );
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [ scan ] );

	return (
		<Loaded load={ categories }>
			{ ( siteCategories ) => (
				<div className="consentry-screen consentry-scanner">
					<ScanPanel
						scan={ scan }
						loadError={ latest.error }
						pollError={ pollError }
						onStarted={ ( started ) => {
							setDetail( null );
							setScan( started );
						} }
						onCancelled={ setScan }
					/>
					{ detail && scan && detail.scan.id === scan.id ? (
						<ScanResults
							detail={ detail }
							categories={ siteCategories }
						/>
					) : null }
					<Inventory
						list={ inventory }
						categories={ siteCategories }
						onChanged={ () =>
							setInventoryVersion( ( v ) => v + 1 )
						}
					/>
					<Declaration version={ inventoryVersion } />
				</div>
			) }
		</Loaded>
	);
}
