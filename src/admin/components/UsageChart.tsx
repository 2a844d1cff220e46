import { __, sprintf } from '@wordpress/i18n';
import type { ConsentAction } from '#shared/consent.ts';
import type { UsageReport } from '../api/types.ts';

type Day = UsageReport[ 'daily' ][ number ];

export const SERIES: Array< {
	key: Exclude< ConsentAction, 'withdraw' >;
	label: () => string;
	className: string;
} > = [
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

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 12, right: 8, bottom: 28, left: 36 };

/**
 * A round, even number at or above `value` for the axis, so its half is a whole number too.
 *
 * @param value Largest total of a day.
 */
function niceMax( value: number ): number {
	if ( value <= 2 ) {
		return 2;
	}
	const power = Math.pow( 10, Math.floor( Math.log10( value ) ) );
	for ( const step of [ 1, 2, 4, 6, 8, 10 ] ) {
		if ( step * power >= value ) {
			return step * power;
		}
	}
	return 10 * power;
}

/**
 * Stacked bars of choices per day, hand-drawn in SVG: it scales to its
 * container, has a title and description, and the same numbers follow in a
 * table for screen readers and anyone who prefers to read them.
 */
export default function UsageChart( { daily }: { daily: Day[] } ) {
	const days = daily || [];
	const totals = days.map( ( d ) =>
		SERIES.reduce( ( sum, s ) => sum + ( Number( d[ s.key ] ) || 0 ), 0 )
	);
	const max = niceMax( Math.max( 0, ...totals ) );
	const innerWidth = WIDTH - PAD.left - PAD.right;
	const innerHeight = HEIGHT - PAD.top - PAD.bottom;
	const slot = days.length ? innerWidth / days.length : innerWidth;
	const barWidth = Math.max( 2, slot * 0.7 );
	const y = ( value: number ) =>
		PAD.top + innerHeight - ( value / max ) * innerHeight;
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
	const labelEvery = Math.max( 1, Math.ceil( days.length / 6 ) );

	return (
		<div className="consentry-chart">
			<svg
				className="consentry-chart__svg"
				viewBox={ `0 0 ${ WIDTH } ${ HEIGHT }` }
				role="img"
				aria-labelledby="consentry-chart-title consentry-chart-desc"
				preserveAspectRatio="none"
			>
				<title id="consentry-chart-title">
					{ __( 'Choices per day', 'consentry' ) }
				</title>
				<desc id="consentry-chart-desc">{ description }</desc>
				{ [ 0, 0.5, 1 ].map( ( f ) => (
					<g key={ f } className="consentry-chart__grid">
						<line
							x1={ PAD.left }
							x2={ WIDTH - PAD.right }
							y1={ y( max * f ) }
							y2={ y( max * f ) }
						/>
						<text
							x={ PAD.left - 6 }
							y={ y( max * f ) + 4 }
							textAnchor="end"
						>
							{ Math.round( max * f ) }
						</text>
					</g>
				) ) }
				{ days.map( ( day, index ) => {
					let base = 0;
					const x = PAD.left + index * slot + ( slot - barWidth ) / 2;
					return (
						<g key={ day.date }>
							{ SERIES.map( ( series ) => {
								const value = Number( day[ series.key ] ) || 0;
								if ( ! value ) {
									return null;
								}
								const top = y( base + value );
								const height = y( base ) - top;
								base += value;
								return (
									<rect
										key={ series.key }
										className={ `consentry-chart__bar ${ series.className }` }
										x={ x }
										y={ top }
										width={ barWidth }
										height={ height }
									>
										<title>{ `${ day.date }: ${ series.label() } ${ value }` }</title>
									</rect>
								);
							} ) }
							{ index % labelEvery === 0 ? (
								<text
									className="consentry-chart__label"
									x={ x + barWidth / 2 }
									y={ HEIGHT - 8 }
									textAnchor="middle"
								>
									{ day.date.slice( 5 ) }
								</text>
							) : null }
						</g>
					);
				} ) }
			</svg>
			<ul className="consentry-chart__legend">
				{ SERIES.map( ( series ) => (
					<li key={ series.key }>
						<span
							className={ `consentry-chart__swatch ${ series.className }` }
							aria-hidden="true"
						/>
						{ series.label() }
					</li>
				) ) }
			</ul>
			<details className="consentry-chart__table">
				<summary>
					{ __( 'Show the numbers as a table', 'consentry' ) }
				</summary>
				<div
					className="consentry-table-wrap"
					tabIndex={ 0 }
					role="region"
					aria-label={ __( 'Choices per day', 'consentry' ) }
				>
					<table className="widefat striped consentry-table">
						<caption className="screen-reader-text">
							{ __( 'Choices per day', 'consentry' ) }
						</caption>
						<thead>
							<tr>
								<th scope="col">
									{ __( 'Date', 'consentry' ) }
								</th>
								{ SERIES.map( ( series ) => (
									<th scope="col" key={ series.key }>
										{ series.label() }
									</th>
								) ) }
								<th scope="col">
									{ __( 'Withdrew', 'consentry' ) }
								</th>
							</tr>
						</thead>
						<tbody>
							{ days.map( ( day ) => (
								<tr key={ day.date }>
									<th scope="row">{ day.date }</th>
									{ SERIES.map( ( series ) => (
										<td key={ series.key }>
											{ Number( day[ series.key ] ) || 0 }
										</td>
									) ) }
									<td>{ Number( day.withdraw ) || 0 }</td>
								</tr>
							) ) }
						</tbody>
					</table>
				</div>
			</details>
		</div>
	);
}
