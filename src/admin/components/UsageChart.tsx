import { __, sprintf } from '@wordpress/i18n';
import { CONSENT_ACTIONS, type ConsentAction } from '#shared/consent.ts';
import type { UsageReport } from '../api/types.ts';
import StackedBarChart, { type ChartSeries } from './StackedBarChart.tsx';

type Day = UsageReport[ 'daily' ][ number ];

export const SERIES: Array<
	ChartSeries & { key: Exclude< ConsentAction, 'withdraw' > }
> = [
	{
		key: 'accept_all',
		label: () => __( 'Accepted all', 'consentry' ),
		className: 'is-accept',
	},
	{
		key: 'reject_all',
		label: () => __( 'Rejected all', 'consentry' ),
		className: 'is-reject',
	},
	{
		key: 'custom',
		label: () => __( 'Custom choice', 'consentry' ),
		className: 'is-custom',
	},
];

/** Stacked bars of consent choices per day, with the withdrawals in the table. */
export default function UsageChart( { daily }: { daily: Day[] } ) {
	const days = daily || [];
	const sum = ( key: ConsentAction ) =>
		days.reduce( ( total, d ) => total + ( Number( d[ key ] ) || 0 ), 0 );
	const description = sprintf(
		/* translators: 1: number of days, 2: accepted, 3: rejected, 4: custom */
		__(
			'Over %1$d days: %2$d accepted all, %3$d rejected all, %4$d made a custom choice.',
			'consentry'
		),
		days.length,
		sum( 'accept_all' ),
		sum( 'reject_all' ),
		sum( 'custom' )
	);
	return (
		<StackedBarChart
			id="consentry-chart"
			title={ __( 'Choices per day', 'consentry' ) }
			description={ description }
			barHeading={ __( 'Date', 'consentry' ) }
			series={ SERIES }
			bars={ days.map( ( day ) => ( {
				id: day.date,
				label: day.date,
				axis: day.date.slice( 5 ),
				values: Object.fromEntries(
					CONSENT_ACTIONS.map( ( action ) => [
						action,
						Number( day[ action ] ) || 0,
					] )
				),
			} ) ) }
			extraColumns={ [
				{
					label: __( 'Withdrew', 'consentry' ),
					value: ( bar ) => Number( bar.values.withdraw ) || 0,
				},
			] }
		/>
	);
}
