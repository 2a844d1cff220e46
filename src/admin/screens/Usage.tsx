import { __, sprintf } from '@wordpress/i18n';
import { getUsage } from '../api/client.ts';
import type { UsageReport } from '../api/types.ts';
import Loaded from '../components/Loaded.tsx';
import ScreenCard from '../components/ScreenCard.tsx';
import UsageChart from '../components/UsageChart.tsx';
import { useLoad } from '../hooks/useLoad.ts';

export default function Usage() {
	const load = useLoad( () => getUsage( 30 ), [] );
	return (
		<Loaded load={ load }>
			{ ( usage ) => <UsageCards usage={ usage } /> }
		</Loaded>
	);
}

/** This month's pageviews against the plan limit, and the choices of the last 30 days. */
function UsageCards( { usage }: { usage: UsageReport } ) {
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
			<ScreenCard
				title={ sprintf(
					/* translators: %s: month, e.g. 2026-11 */ __(
						'Pageviews in %s',
						'consentry'
					),
					usage.month
				) }
			>
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
			</ScreenCard>
			<ScreenCard
				title={ __( 'Choices in the last 30 days', 'consentry' ) }
			>
				<UsageChart daily={ usage.daily } />
			</ScreenCard>
		</div>
	);
}
