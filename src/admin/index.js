// The Consentry screen in wp-admin: mounts into the root div the plugin prints.
import domReady from '@wordpress/dom-ready';
import { createRoot } from '@wordpress/element';
import App from './App.js';
import './style.scss';

domReady( () => {
	const root = document.getElementById( 'consentry-admin' );
	if ( root ) {
		createRoot( root ).render( <App /> );
	}
} );
