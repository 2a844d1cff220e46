import { Card, CardBody, CardHeader, Spinner } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { getUsage } from '../api/client.js';
import LoadError from '../components/LoadError.js';
import UsageChart from '../components/UsageChart.js';

export default function Usage() {
	const [ usage, setUsage ] = useState( null );
	const [ error, setError ] = useState( null );

	const load = async () => {
		setError( null );
		try {
			setUsage( await getUsage( 30 ) );
		} catch ( e ) {
			setError( e );
		}
	};
	useEffect( () => {
		load();
	}, [] );

	if ( error ) {
		return <LoadError error={ error } onRetry={ load } />;
	}
	if ( ! usage ) {
		return <Spinner />;
	}

	const limit = Number( usage.planLimit ) || 0;
	const pageviews = Number( usage.pageviews ) || 0;
	const percent = limit ? Math.min( 100, ( pageviews / limit ) * 100 ) : 0;
	let level = '';
	if ( percent >= 100 ) {
		level = 'is-over';
	} else if ( percent >= 80 ) {
		level = 'is-high';
	}
	const summary = limit
		? sprintf(
				/* translators: 1: pageviews, 2: plan limit, 3: percent */
				__( '%1$s of %2$s pageviews this month (%3$s%%)', 'consentry' ),
				pageviews.toLocaleString(),
				limit.toLocaleString(),
				( Number( usage.usagePercent ) || percent ).toFixed( 1 )
			)
		: sprintf(
				/* translators: %s: pageviews */
				__( '%s pageviews this month (no plan limit)', 'consentry' ),
				pageviews.toLocaleString()
			);

	return (
		<div className="consentry-screen">
			<Card>
				<CardHeader>
					<h2 className="consentry-card-title">
						{ sprintf(
							/* translators: %s: month, e.g. 2026-11 */ __(
								'Pageviews in %s',
								'consentry'
							),
							usage.month
						) }
					</h2>
				</CardHeader>
				<CardBody>
					<p
						className="consentry-usage__summary"
						id="consentry-usage-summary"
					>
						{ summary }
					</p>
					{ limit ? (
						<>
							<meter
								className={ `consentry-meter ${ level }` }
								min={ 0 }
								max={ limit }
								low={ limit * 0.8 }
								high={ limit * 0.9 }
								optimum={ 0 }
								value={ Math.min( pageviews, limit ) }
								aria-labelledby="consentry-usage-summary"
							/>
							{ percent >= 80 ? (
								<p className="consentry-help">
									{ percent >= 100
										? __(
												'The plan limit is reached.',
												'consentry'
											)
										: __(
												'More than 80% of the plan limit is used.',
												'consentry'
											) }
								</p>
							) : null }
						</>
					) : null }
				</CardBody>
			</Card>
			<Card>
				<CardHeader>
					<h2 className="consentry-card-title">
						{ __( 'Choices in the last 30 days', 'consentry' ) }
					</h2>
				</CardHeader>
				<CardBody>
					<UsageChart daily={ usage.daily } />
				</CardBody>
			</Card>
		</div>
	);
}
