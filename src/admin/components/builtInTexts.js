// The banner's built-in texts (src/banner/texts.ts), repeated here for the
// preview and as placeholders: the admin app does not import banner code.
export const BUILT_IN_TEXTS = {
	en: {
		title: 'We value your privacy',
		description:
			'We use cookies the site needs to work. With your permission we also use cookies to understand how the site is used and to show relevant ads. You can change your choice at any time in “Cookie settings”.',
		acceptAll: 'Accept all',
		rejectAll: 'Reject all',
		customize: 'Customize',
		save: 'Save choices',
		close: 'Close',
		settings: 'Cookie settings',
		privacyPolicyLabel: 'Privacy policy',
	},
	tr: {
		title: 'Gizliliğinize önem veriyoruz',
		description:
			'Sitenin çalışması için gereken çerezleri kullanıyoruz. İzninizle, sitenin nasıl kullanıldığını anlamak ve ilgili reklamlar göstermek için başka çerezler de kullanırız. Seçiminizi istediğiniz zaman “Çerez ayarları” bölümünden değiştirebilirsiniz.',
		acceptAll: 'Tümünü kabul et',
		rejectAll: 'Tümünü reddet',
		customize: 'Özelleştir',
		save: 'Seçimleri kaydet',
		close: 'Kapat',
		settings: 'Çerez ayarları',
		privacyPolicyLabel: 'Gizlilik politikası',
	},
};

export const DEFAULT_COLORS = {
	background: '#ffffff',
	text: '#1d2327',
	primary: '#1d4ed8',
	primaryText: '#ffffff',
};

/**
 * The texts the banner would show in a language: built-in, then the admin's non-empty ones.
 *
 * @param {string} lang  Language tag.
 * @param {Object} texts config.texts.
 * @return {Object} Texts.
 */
export function effectiveTexts( lang, texts = {} ) {
	const out = { ...BUILT_IN_TEXTS.en, ...( BUILT_IN_TEXTS[ lang ] || {} ) };
	for ( const [ key, value ] of Object.entries( texts[ lang ] || {} ) ) {
		if ( value ) {
			out[ key ] = value;
		}
	}
	return out;
}
