// The Consentry screen in wp-admin: mounts into the root div the plugin prints.
import { createRoot } from '@wordpress/element';
import App from './App.tsx';
import './style.scss';

function mount() {
	const root = document.getElementById( 'consentry-admin' );
	if ( root ) {
		createRoot( root ).render( <App /> );
	}
}

if ( document.readyState === 'loading' ) {
	document.addEventListener( 'DOMContentLoaded', mount );
} else {
	mount();
}
