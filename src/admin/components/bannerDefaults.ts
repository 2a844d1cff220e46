// What the banner shows where the site sets nothing: its built-in texts (from
// src/shared, the banner's own) and its default colours.
import type { BannerColors, BannerTexts } from '#shared/consent.ts';
import { BUILT_IN_TEXTS } from '#shared/texts.ts';
import type { BuiltInTexts } from '#shared/texts.ts';

export const DEFAULT_COLORS: Required< BannerColors > = {
	background: '#ffffff',
	text: '#1d2327',
	primary: '#1d4ed8',
	primaryText: '#ffffff',
};

/** The built-in texts of a language, English where it has none. */
export function builtInTexts( lang: string ): BuiltInTexts {
	return Object.hasOwn( BUILT_IN_TEXTS, lang )
		? BUILT_IN_TEXTS[ lang as keyof typeof BUILT_IN_TEXTS ]
		: BUILT_IN_TEXTS.en;
}

/**
 * The texts the banner would show in a language: built-in, then the site's non-empty ones.
 *
 * @param lang  Language tag.
 * @param texts The site's texts per language (config.texts).
 */
export function effectiveTexts(
	lang: string,
	texts: Record< string, BannerTexts > = {}
): BuiltInTexts & BannerTexts {
	const out: BuiltInTexts & BannerTexts = {
		...BUILT_IN_TEXTS.en,
		...builtInTexts( lang ),
	};
	for ( const [ key, value ] of Object.entries( texts[ lang ] || {} ) ) {
		if ( value ) {
			out[ key as keyof BannerTexts ] = value;
		}
	}
	return out;
}
