import { Button, Spinner } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import {
	asAdminError,
	checkConnection,
	probeVisitorRoute,
} from '../api/client.ts';
import type { AdminError } from '../api/client.ts';
import type {
	ConnectionCheckResult,
	ConnectionGuide,
} from '../api/types.ts';
import ErrorNotice from '../components/ErrorNotice.tsx';
import { visitorRouteOutcome } from '../setup-guide.ts';
import type { VisitorProbe } from '../setup-guide.ts';

/** The name of each step, as the list shows it. */
function stepTitle( step: ConnectionCheckResult[ 'step' ] ): string {
	switch ( step ) {
		case 'service_reachable':
			return __( 'Service reachable from WordPress', 'consentry' );
		case 'key_valid':
			return __( 'Secret key valid', 'consentry' );
		case 'site_linked':
			return __( 'Site linked', 'consentry' );
		case 'banner_config_cached':
			return __( 'Banner configuration cached', 'consentry' );
		case 'visitor_route':
			return __( 'Visitor routes reachable from the browser', 'consentry' );
	}
}

/**
 * The browser's own step: each route a visitor's banner calls, called from here.
 *
 * @param guide The host's facts (the routes, and whether they are the service's own).
 */
async function visitorStep(
	guide: ConnectionGuide
): Promise< ConnectionCheckResult > {
	const urls = [
		guide.visitorEndpoints.consent,
		guide.visitorEndpoints.heartbeat,
	];
	for ( const url of urls ) {
		const probe: VisitorProbe = await probeVisitorRoute( url );
		const outcome = visitorRouteOutcome( probe );
		if ( outcome === 'reached' ) {
			continue;
		}
		const status = 'network' in probe ? 0 : probe.status;
		const result = ( summary: string, hint: string ) => ( {
			step: 'visitor_route' as const,
			state: 'fail' as const,
			summary,
			detail: url,
			hint,
		} );
		switch ( outcome ) {
			case 'cross_origin':
				return result(
					__( 'The route refused this page as another site’s.', 'consentry' ),
					__(
						'The routes answer pages of this site only: the WordPress Address and Site Address (Settings → General) must name the host visitors open.',
						'consentry'
					)
				);
			case 'not_found':
				return result(
					__( 'The route was not found (HTTP 404).', 'consentry' ),
					__(
						'Something hides the REST API from visitors (a security plugin, the web server’s rules) or the plugin is not active. Let visitors POST to this URL without logging in.',
						'consentry'
					)
				);
			case 'server_error':
				return result(
					sprintf(
						/* translators: %d: HTTP status */
						__( 'The route failed (HTTP %d).', 'consentry' ),
						status
					),
					__(
						'Look at the PHP error log (wp-content/debug.log with WP_DEBUG_LOG) and the service’s log (journalctl -u consentry).',
						'consentry'
					)
				);
			case 'no_answer':
				return result(
					__( 'This browser got no answer from the route.', 'consentry' ),
					guide.directToService
						? __(
								'The banner calls the service directly (the “direct to service” setting): its URL must be public, over HTTPS, and reachable from visitors’ browsers, e.g. through the nginx recipe in the plugin’s service folder. Otherwise turn the setting off.',
								'consentry'
						  )
						: __(
								'Check the site’s address and its HTTPS certificate, and that nothing between browsers and WordPress drops POST requests.',
								'consentry'
						  )
				);
			default:
				return result(
					sprintf(
						/* translators: %d: HTTP status */
						__( 'The route refused a visitor’s call (HTTP %d).', 'consentry' ),
						status
					),
					__(
						'A security plugin, a firewall or the web server blocks these calls for visitors: let them POST to this URL without logging in.',
						'consentry'
					)
				);
		}
	}
	return {
		step: 'visitor_route',
		state: 'pass',
		summary: __(
			'The routes visitors’ banners call answer this browser.',
			'consentry'
		),
		detail: urls.join( ' ' ),
		hint: '',
	};
}

const MARK: Record< ConnectionCheckResult[ 'state' ], string > = {
	pass: '✓',
	fail: '✗',
	skipped: '–',
};

function stateLabel( state: ConnectionCheckResult[ 'state' ] ): string {
	if ( state === 'pass' ) {
		return __( 'Passed', 'consentry' );
	}
	return state === 'fail'
		? __( 'Failed', 'consentry' )
		: __( 'Skipped', 'consentry' );
}

/**
 * "Check": runs every step, WordPress's ones through connection/check and the
 * visitor route from this browser, and lists which pass, with a fix for the others.
 */
export default function SetupCheck( { guide }: { guide: ConnectionGuide } ) {
	const [ busy, setBusy ] = useState( false );
	const [ results, setResults ] = useState< ConnectionCheckResult[] | null >(
		null
	);
	const [ error, setError ] = useState< AdminError | null >( null );

	const onCheck = async () => {
		setBusy( true );
		setError( null );
		try {
			const [ server, visitor ] = await Promise.all( [
				checkConnection(),
				visitorStep( guide ),
			] );
			setResults( [ ...server.steps, visitor ] );
		} catch ( e ) {
			setResults( null );
			setError( asAdminError( e ) );
		}
		setBusy( false );
	};

	const failed = results?.filter( ( r ) => r.state !== 'pass' ).length ?? 0;
	return (
		<div className="consentry-check">
			<p className="consentry-help">
				{ __(
					'Runs each step from WordPress and from this browser, as a visitor’s banner would, and says how to fix what fails.',
					'consentry'
				) }
			</p>
			<div className="consentry-actions">
				<Button
					variant="primary"
					onClick={ onCheck }
					isBusy={ busy }
					disabled={ busy }
				>
					{ __( 'Check', 'consentry' ) }
				</Button>
				{ busy ? <Spinner /> : null }
			</div>
			<div aria-live="polite">
				<ErrorNotice error={ error } />
				{ results ? (
					<>
						<p className="consentry-check__summary" data-testid="check-summary">
							{ failed === 0
								? __( 'Every step passed.', 'consentry' )
								: sprintf(
										/* translators: 1: steps not passed, 2: all steps */
										__( '%1$d of %2$d steps did not pass.', 'consentry' ),
										failed,
										results.length
								  ) }
						</p>
						<ul className="consentry-check__list">
							{ results.map( ( result ) => (
								<li
									key={ result.step }
									className={ `consentry-check__item is-${ result.state }` }
									data-testid={ `check-${ result.step }` }
									data-state={ result.state }
								>
									<span className="consentry-check__mark" aria-hidden="true">
										{ MARK[ result.state ] }
									</span>
									<div>
										<strong>{ stepTitle( result.step ) }</strong>
										<span className="screen-reader-text">
											{ ` (${ stateLabel( result.state ) })` }
										</span>
										<p className="consentry-check__summary-line">
											{ result.summary }
										</p>
										{ result.detail ? (
											<p className="consentry-help">{ result.detail }</p>
										) : null }
										{ result.hint ? (
											<p
												className="consentry-check__hint"
												data-testid={ `check-${ result.step }-hint` }
											>
												<strong>
													{ __( 'How to fix:', 'consentry' ) }
												</strong>{ ' ' }
												{ result.hint }
											</p>
										) : null }
									</div>
								</li>
							) ) }
						</ul>
					</>
				) : null }
			</div>
		</div>
	);
}
