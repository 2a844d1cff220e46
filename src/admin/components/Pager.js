import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Previous / "first–last of total" / Next for an offset-paged list.
 *
 * @param {Object}   props
 * @param {string}   props.label      The nav's accessible name.
 * @param {number}   props.offset     First row shown (0-based).
 * @param {number}   props.count      Rows shown.
 * @param {number}   props.total      Rows in all.
 * @param {number}   props.pageSize   Rows a page.
 * @param {boolean}  props.loading    Whether a page is loading.
 * @param {Function} props.onOffset   Called with the new offset.
 * @param {string}   [props.emptyText] Status when total is 0 (without it, the range is shown).
 * @param {*}        [props.children] After the Next button.
 */
export default function Pager( {
	label,
	offset,
	count,
	total,
	pageSize,
	loading,
	onOffset,
	emptyText,
	children,
} ) {
	return (
		<nav className="consentry-pager" aria-label={ label }>
			<Button
				variant="secondary"
				onClick={ () => onOffset( Math.max( 0, offset - pageSize ) ) }
				disabled={ offset === 0 || loading }
				accessibleWhenDisabled
				__next40pxDefaultSize
			>
				{ __( 'Previous', 'consentry' ) }
			</Button>
			<span className="consentry-pager__status">
				{ total || emptyText === undefined
					? sprintf(
							/* translators: 1: first row, 2: last row, 3: total */
							__( '%1$d–%2$d of %3$d', 'consentry' ),
							offset + 1,
							offset + count,
							total
						)
					: emptyText }
			</span>
			<Button
				variant="secondary"
				onClick={ () => onOffset( offset + pageSize ) }
				disabled={ offset + count >= total || loading }
				accessibleWhenDisabled
				__next40pxDefaultSize
			>
				{ __( 'Next', 'consentry' ) }
			</Button>
			{ children }
		</nav>
	);
}
