// The boot data the plugin prints before the app (class-admin-page.php):
// window.consentryAdmin = { restRoot, restNamespace, connection, siteDomain, siteUrl, locale, version }.
import type { Connection } from './api/types.ts';

interface BootData {
	restRoot?: string;
	restNamespace?: string;
	restPath?: string;
	connection?: Connection;
	connected?: boolean;
	siteDomain?: string;
	siteUrl?: string;
	locale?: string;
	version?: string;
}

declare global {
	interface Window {
		consentryAdmin?: BootData;
		wpApiSettings?: { nonce?: string };
	}
}

const raw: BootData =
	( typeof window !== 'undefined' && window.consentryAdmin ) || {};

export const boot = {
	restRoot:
		raw.restRoot ||
		`/${ raw.restNamespace || raw.restPath || 'consentry/v1' }`,
	connection: raw.connection || { connected: Boolean( raw.connected ) },
	siteDomain: raw.siteDomain || '',
	siteUrl: raw.siteUrl || '/',
	locale: raw.locale || 'en_US',
	version: raw.version || '',
};
