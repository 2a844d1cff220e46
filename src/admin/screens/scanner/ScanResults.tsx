import { Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { ClassificationSource } from '#shared/consent.ts';
import type { Category, ScanDetail } from '../../api/types.ts';
import DataTable from '../../components/DataTable.tsx';
import ScreenCard from '../../components/ScreenCard.tsx';
import { kindLabel, passLabel, stateLabel } from './labels.ts';

type Item = ScanDetail[ 'items' ][ number ];

const UNCLASSIFIED = '';

/** A category key's name on screen; unclassified for null. */
export function categoryName(
	categories: Category[],
	key: string | null
): string {
	if ( ! key ) {
		return __( 'Unclassified', 'consentry' );
	}
	return categories.find( ( c ) => c.key === key )?.nameEn ?? key;
}

function sourceLabel( source: ClassificationSource | null ): string {
	const labels: Record< ClassificationSource, string > = {
		override: __( 'Your inventory', 'consentry' ),
		consentry: __( 'Consentry’s own cookie', 'consentry' ),
		wordpress: __( 'WordPress’s own cookie', 'consentry' ),
		'open-cookie-database': __( 'Open Cookie Database', 'consentry' ),
		'tracker-catalogue': __( 'Known tracker', 'consentry' ),
	};
	return source ? labels[ source ] ?? source : '—';
}

/**
 * What an ended scan found: its summary, the violations first (with the page
 * and pass that caused each), then the items per category (unclassified first,
 * then in the site's order), and the third-party hosts.
 */
export default function ScanResults( {
	detail,
	categories,
}: {
	detail: ScanDetail;
	categories: Category[];
} ) {
	const { scan, violations, items, hosts } = detail;
	const groups = new Map< string, Item[] >();
	for ( const key of [
		UNCLASSIFIED,
		...categories.map( ( c ) => c.key ),
	] ) {
		groups.set( key, [] );
	}
	for ( const item of items ) {
		const key = item.classification.categoryKey ?? UNCLASSIFIED;
		groups.set( key, [ ...( groups.get( key ) ?? [] ), item ] );
	}
	const counts = scan.counts;

	return (
		<ScreenCard
			title={ sprintf(
				/* translators: %s: how the scan ended, e.g. Completed */
				__( 'Scan results: %s', 'consentry' ),
				stateLabel( scan.state )
			) }
		>
			<p className="consentry-scan-summary">
				{ sprintf(
					/* translators: 1: pages, 2: failed pages, 3: items, 4: unclassified items, 5: violations */
					__(
						'%1$d pages scanned (%2$d failed), %3$d items found, %4$d unclassified, %5$d violations.',
						'consentry'
					),
					scan.pagesDone,
					scan.pagesFailed,
					counts.items,
					counts.unclassified,
					counts.violations
				) }{ ' ' }
				{ detail.diff.length || counts.added || counts.removed
					? sprintf(
							/* translators: 1: items added, 2: items removed, 3: items changed */
							__(
								'Since the previous scan: %1$d added, %2$d removed, %3$d changed.',
								'consentry'
							),
							counts.added,
							counts.removed,
							counts.changed
					  )
					: '' }
			</p>

			<h3 className="consentry-section-title">
				{ __( 'Violations', 'consentry' ) }
			</h3>
			{ violations.length === 0 ? (
				<Notice
					status="success"
					isDismissible={ false }
					className="consentry-scan-no-violations"
				>
					{ __(
						'No violations: nothing that needs consent was set before a choice or after “Reject all”.',
						'consentry'
					) }
				</Notice>
			) : (
				<>
					<p className="consentry-help">
						{ __(
							'Each row is something that needs consent that a page set or loaded before the visitor chose, or after “Reject all”. Block it until consent (a category’s script patterns, or the type="text/plain" markup), or classify it as necessary if it is.',
							'consentry'
						) }
					</p>
					<DataTable
						captionId="consentry-violations-caption"
						caption={ __( 'Violations', 'consentry' ) }
						className="widefat striped consentry-violations"
						busy={ false }
						columns={ [
							__( 'Item', 'consentry' ),
							__( 'Category', 'consentry' ),
							__( 'Page', 'consentry' ),
							__( 'When', 'consentry' ),
						] }
						emptyText=""
					>
						{ violations.map( ( v ) => (
							<tr
								key={ `${ v.pageUrl } ${ v.pass } ${ v.kind } ${ v.name } ${ v.domain }` }
							>
								<td>
									<code>{ v.name }</code>{ ' ' }
									<span className="consentry-muted">
										{ kindLabel( v.kind ) } · { v.domain }
									</span>
								</td>
								<td>
									{ categoryName( categories, v.categoryKey ) }
								</td>
								<td>
									<a href={ v.pageUrl }>{ v.pageUrl }</a>
								</td>
								<td>{ passLabel( v.pass ) }</td>
							</tr>
						) ) }
					</DataTable>
				</>
			) }

			{ [ ...groups.entries() ]
				.filter( ( [ , list ] ) => list.length > 0 )
				.map( ( [ key, list ] ) => {
					const name = categoryName( categories, key || null );
					const captionId = `consentry-scan-items-${ key || 'unclassified' }`;
					return (
						<section
							key={ key || 'unclassified' }
							className="consentry-scan-group"
							data-category={ key || 'unclassified' }
						>
							<h3 className="consentry-section-title">
								{ sprintf(
									/* translators: 1: category name, 2: number of items */
									__( '%1$s (%2$d)', 'consentry' ),
									name,
									list.length
								) }
							</h3>
							{ key ? null : (
								<p className="consentry-help">
									{ __(
										'Nothing classifies these yet: pick a category for each in the inventory below. They are never published until you do, and a scan cannot tell whether they need consent.',
										'consentry'
									) }
								</p>
							) }
							<DataTable
								captionId={ captionId }
								caption={ name }
								className="widefat striped consentry-scan-items"
								busy={ false }
								columns={ [
									__( 'Name', 'consentry' ),
									__( 'Kind', 'consentry' ),
									__( 'Domain', 'consentry' ),
									__( 'Seen', 'consentry' ),
									__( 'First seen on', 'consentry' ),
									__( 'Classified by', 'consentry' ),
								] }
								emptyText=""
							>
								{ list.map( ( item ) => (
									<tr
										key={ `${ item.kind } ${ item.name } ${ item.domain }` }
										data-item={ item.name }
									>
										<td>
											<code>{ item.name }</code>
										</td>
										<td>{ kindLabel( item.kind ) }</td>
										<td>{ item.domain }</td>
										<td className="consentry-scan-passes">
											{ item.passes
												.map( passLabel )
												.join( ', ' ) }
										</td>
										<td>
											<a href={ item.firstPageUrl }>
												{ item.firstPageUrl }
											</a>{ ' ' }
											<span className="consentry-muted">
												({ passLabel( item.firstPass ) })
											</span>
										</td>
										<td>
											{ sourceLabel(
												item.classification.source
											) }
										</td>
									</tr>
								) ) }
							</DataTable>
						</section>
					);
				} ) }

			{ hosts.length ? (
				<section className="consentry-scan-group">
					<h3 className="consentry-section-title">
						{ __( 'Third-party hosts', 'consentry' ) }
					</h3>
					<DataTable
						captionId="consentry-scan-hosts-caption"
						caption={ __( 'Third-party hosts', 'consentry' ) }
						className="widefat striped consentry-scan-hosts"
						busy={ false }
						columns={ [
							__( 'Host', 'consentry' ),
							__( 'Loaded', 'consentry' ),
							__( 'Seen', 'consentry' ),
							__( 'First seen on', 'consentry' ),
						] }
						emptyText=""
					>
						{ hosts.map( ( host ) => (
							<tr key={ host.host }>
								<td>
									<code>{ host.host }</code>
								</td>
								<td>{ host.resourceTypes.join( ', ' ) }</td>
								<td>
									{ host.passes.map( passLabel ).join( ', ' ) }
								</td>
								<td>
									<a href={ host.firstPageUrl }>
										{ host.firstPageUrl }
									</a>
								</td>
							</tr>
						) ) }
					</DataTable>
				</section>
			) : null }
		</ScreenCard>
	);
}
