import { Card, CardBody, CardHeader } from '@wordpress/components';
import type { ReactNode } from 'react';

interface Props {
	title: ReactNode;
	/** Buttons or links beside the title. */
	actions?: ReactNode;
	bodyClassName?: string;
	children: ReactNode;
}

/** One card of a screen: a header with its h2 title (and actions), then its body. */
export default function ScreenCard( {
	title,
	actions,
	bodyClassName,
	children,
}: Props ) {
	return (
		<Card>
			<CardHeader>
				<h2 className="consentry-card-title">{ title }</h2>
				{ actions }
			</CardHeader>
			<CardBody className={ bodyClassName }>{ children }</CardBody>
		</Card>
	);
}
