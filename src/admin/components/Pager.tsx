import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { ReactNode } from 'react';

interface Props {
	/** The nav's accessible name. */
	label: string;
	/** First row shown (0-based). */
	offset: number;
	/** Rows shown. */
	count: number;
	/** Rows in all. */
	total: number;
	/** Rows a page. */
	pageSize: number;
	/** Whether a page is loading. */
	loading: boolean;
	/** Called with the new offset. */
	onOffset: ( offset: number ) => void;
	/** Status when total is 0 (without it, the range is shown). */
	emptyText?: string;
	/** After the Next button. */
	children?: ReactNode;
}

/** Previous / "first–last of total" / Next for an offset-paged list. */
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
}: Props ) {
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
