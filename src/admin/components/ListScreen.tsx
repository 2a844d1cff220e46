import type { ReactNode } from 'react';
import type { Load } from '../hooks/useLoad.ts';
import Loaded from './Loaded.tsx';
import ScreenCard from './ScreenCard.tsx';

interface Props< T > {
	load: Load< T >;
	title: ReactNode;
	/** Beside the title, e.g. the Add button. */
	actions?: ReactNode;
	/** The card's body, once the list is there. */
	children: ( data: T ) => ReactNode;
}

/** The shell of a list screen: loading and load error, then one card with the title, actions and the list. */
export default function ListScreen< T >( {
	load,
	title,
	actions,
	children,
}: Props< T > ) {
	return (
		<Loaded load={ load }>
			{ ( data ) => (
				<div className="consentry-screen">
					<ScreenCard title={ title } actions={ actions }>
						{ children( data ) }
					</ScreenCard>
				</div>
			) }
		</Loaded>
	);
}
