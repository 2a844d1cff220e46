// The boot data the plugin prints before the app (class-admin-page.php):
// window.consentryAdmin = { restRoot, restNamespace, connection, siteDomain, siteUrl, locale, version }.
const raw = ( typeof window !== 'undefined' && window.consentryAdmin ) || {};

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
