import type { ReactNode } from 'react';

interface Props {
	/** Id of the caption, which names the scrollable region. */
	captionId: string;
	caption: string;
	className: string;
	/** Whether a page is loading. */
	busy: boolean;
	/** Column headings. */
	columns: string[];
	/** The one row shown when there are no rows. */
	emptyText: string;
	/** The rows (<tr>), none when empty. */
	children: ReactNode[];
}

/** A table of a paged list in a focusable, scrollable region named by its (visually hidden) caption. */
export default function DataTable( {
	captionId,
	caption,
	className,
	busy,
	columns,
	emptyText,
	children,
}: Props ) {
	return (
		<div
			className="consentry-table-wrap"
			tabIndex={ 0 }
			role="region"
			aria-labelledby={ captionId }
		>
			<table className={ className } aria-busy={ busy }>
				<caption id={ captionId } className="screen-reader-text">
					{ caption }
				</caption>
				<thead>
					<tr>
						{ columns.map( ( column ) => (
							<th scope="col" key={ column }>
								{ column }
							</th>
						) ) }
					</tr>
				</thead>
				<tbody>
					{ children.length === 0 ? (
						<tr>
							<td colSpan={ columns.length }>{ emptyText }</td>
						</tr>
					) : null }
					{ children }
				</tbody>
			</table>
		</div>
	);
}
