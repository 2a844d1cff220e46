import { __ } from '@wordpress/i18n';

/** One stacked series: its key in each bar's values, its name, and the class that colours it. */
export interface ChartSeries {
	key: string;
	label: () => string;
	className: string;
}

/** One bar: `id` keys it, `label` names it in the table and tooltips, `axis` under the bar. */
export interface ChartBar {
	id: string;
	label: string;
	axis: string;
	values: Record< string, number >;
}

/** A column of the table besides the series (a count that is not drawn). */
export interface ChartColumn {
	label: string;
	value: ( bar: ChartBar ) => number;
}

interface Props {
	/** Prefix of the ids the SVG's title and description take (unique on the page). */
	id: string;
	title: string;
	description: string;
	bars: ChartBar[];
	series: ChartSeries[];
	extraColumns?: ChartColumn[];
	/** Heading of the table's first column. */
	barHeading: string;
}

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 12, right: 8, bottom: 28, left: 36 };

/**
 * A round, even number at or above `value` for the axis, so its half is a whole number too.
 *
 * @param value Largest total of a bar.
 */
export function niceMax( value: number ): number {
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
 * Stacked bars, hand-drawn in SVG: it scales to its container, has a title
 * and description, and the same numbers follow in a table for screen readers
 * and anyone who prefers to read them.
 */
export default function StackedBarChart( {
	id,
	title,
	description,
	bars,
	series,
	extraColumns = [],
	barHeading,
}: Props ) {
	const value = ( bar: ChartBar, key: string ) =>
		Number( bar.values[ key ] ) || 0;
	const totals = bars.map( ( bar ) =>
		series.reduce( ( sum, s ) => sum + value( bar, s.key ), 0 )
	);
	const max = niceMax( Math.max( 0, ...totals ) );
	const innerWidth = WIDTH - PAD.left - PAD.right;
	const innerHeight = HEIGHT - PAD.top - PAD.bottom;
	const slot = bars.length ? innerWidth / bars.length : innerWidth;
	const barWidth = Math.max( 2, slot * 0.7 );
	const y = ( amount: number ) =>
		PAD.top + innerHeight - ( amount / max ) * innerHeight;
	const labelEvery = Math.max( 1, Math.ceil( bars.length / 6 ) );

	return (
		<div className="consentry-chart">
			<svg
				className="consentry-chart__svg"
				viewBox={ `0 0 ${ WIDTH } ${ HEIGHT }` }
				role="img"
				aria-labelledby={ `${ id }-title ${ id }-desc` }
				preserveAspectRatio="none"
			>
				<title id={ `${ id }-title` }>{ title }</title>
				<desc id={ `${ id }-desc` }>{ description }</desc>
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
				{ bars.map( ( bar, index ) => {
					let base = 0;
					const x = PAD.left + index * slot + ( slot - barWidth ) / 2;
					return (
						<g key={ bar.id }>
							{ series.map( ( s ) => {
								const amount = value( bar, s.key );
								if ( ! amount ) {
									return null;
								}
								const top = y( base + amount );
								const height = y( base ) - top;
								base += amount;
								return (
									<rect
										key={ s.key }
										className={ `consentry-chart__bar ${ s.className }` }
										x={ x }
										y={ top }
										width={ barWidth }
										height={ height }
									>
										<title>{ `${ bar.label }: ${ s.label() } ${ amount }` }</title>
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
									{ bar.axis }
								</text>
							) : null }
						</g>
					);
				} ) }
			</svg>
			<ul className="consentry-chart__legend">
				{ series.map( ( s ) => (
					<li key={ s.key }>
						<span
							className={ `consentry-chart__swatch ${ s.className }` }
							aria-hidden="true"
						/>
						{ s.label() }
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
					aria-label={ title }
				>
					<table className="widefat striped consentry-table">
						<caption className="screen-reader-text">
							{ title }
						</caption>
						<thead>
							<tr>
								<th scope="col">{ barHeading }</th>
								{ series.map( ( s ) => (
									<th scope="col" key={ s.key }>
										{ s.label() }
									</th>
								) ) }
								{ extraColumns.map( ( column ) => (
									<th scope="col" key={ column.label }>
										{ column.label }
									</th>
								) ) }
							</tr>
						</thead>
						<tbody>
							{ bars.map( ( bar ) => (
								<tr key={ bar.id }>
									<th scope="row">{ bar.label }</th>
									{ series.map( ( s ) => (
										<td key={ s.key }>
											{ value( bar, s.key ) }
										</td>
									) ) }
									{ extraColumns.map( ( column ) => (
										<td key={ column.label }>
											{ column.value( bar ) }
										</td>
									) ) }
								</tr>
							) ) }
						</tbody>
					</table>
				</div>
			</details>
		</div>
	);
}
