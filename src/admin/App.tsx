import { Notice, TabPanel } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { ComponentType } from 'react';
import type { Connection as ConnectionState } from './api/types.ts';
import { boot } from './boot.ts';
import Banner from './screens/Banner.tsx';
import Categories from './screens/Categories.tsx';
import Connection from './screens/Connection.tsx';
import ConsentLog from './screens/ConsentLog.tsx';
import Scanner from './screens/scanner/Scanner.tsx';
import DisplayPreferences from './screens/DisplayPreferences.tsx';
import Usage from './screens/Usage.tsx';
import Webhooks from './screens/webhooks/Webhooks.tsx';

/** The screens that need a connection, by tab name (Connection is rendered apart). */
const SCREENS: Record< string, ComponentType > = {
	banner: Banner,
	categories: Categories,
	scanner: Scanner,
	display: DisplayPreferences,
	log: ConsentLog,
	usage: Usage,
	webhooks: Webhooks,
};

/** The tab named in the URL hash (#banner …), so a reload keeps the screen. */
function initialTab(): string {
	const hash =
		typeof window !== 'undefined'
			? window.location.hash.replace( /^#/, '' )
			: '';
	return Object.hasOwn( SCREENS, hash ) ? hash : 'connection';
}

export default function App() {
	const [ connection, setConnection ] = useState< ConnectionState >(
		boot.connection
	);
	// A link to another screen's hash (#log) switches to it.
	const [ startTab, setStartTab ] = useState( initialTab );
	useEffect( () => {
		const onHashChange = () => setStartTab( initialTab() );
		window.addEventListener( 'hashchange', onHashChange );
		return () => window.removeEventListener( 'hashchange', onHashChange );
	}, [] );
	const tabs = [
		{ name: 'connection', title: __( 'Connection', 'consentry' ) },
		{ name: 'banner', title: __( 'Banner', 'consentry' ) },
		{ name: 'categories', title: __( 'Categories', 'consentry' ) },
		{ name: 'scanner', title: __( 'Scanner', 'consentry' ) },
		{
			name: 'display',
			title: __( 'Display preferences', 'consentry' ),
		},
		{ name: 'log', title: __( 'Consent log', 'consentry' ) },
		{ name: 'usage', title: __( 'Usage', 'consentry' ) },
		{ name: 'webhooks', title: __( 'Webhooks', 'consentry' ) },
	];
	const onSelect = ( name: string ) => {
		if ( window.history && window.history.replaceState ) {
			window.history.replaceState( null, '', `#${ name }` );
		}
	};

	return (
		<div className="consentry-app">
			<h1 className="consentry-app__title">
				{ __( 'Consentry', 'consentry' ) }
			</h1>
			<TabPanel
				key={ startTab }
				className="consentry-tabs"
				tabs={ tabs }
				initialTabName={ startTab }
				onSelect={ onSelect }
			>
				{ ( tab ) => {
					if ( tab.name === 'connection' ) {
						return (
							<Connection
								connection={ connection }
								onConnection={ setConnection }
							/>
						);
					}
					if ( ! connection.connected ) {
						return (
							<div className="consentry-screen">
								<Notice status="info" isDismissible={ false }>
									{ __(
										'Connect this site to a Consentry service first (Connection tab).',
										'consentry'
									) }
								</Notice>
							</div>
						);
					}
					const Screen = SCREENS[ tab.name ];
					return Screen ? (
						<Screen key={ connection.siteId ?? '' } />
					) : null;
				} }
			</TabPanel>
		</div>
	);
}
