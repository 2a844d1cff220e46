// WCAG 2.x contrast ratio of two #rrggbb colours (1 to 21).

/** Relative luminance of #rrggbb, or null when not a colour. */
export function luminance( hex: string | undefined ): number | null {
	const digits = /^#?([0-9a-f]{6})$/i.exec(
		String( hex || '' ).trim()
	)?.[ 1 ];
	if ( ! digits ) {
		return null;
	}
	const channel = ( offset: number ) => {
		const c = parseInt( digits.slice( offset, offset + 2 ), 16 ) / 255;
		return c <= 0.03928
			? c / 12.92
			: Math.pow( ( c + 0.055 ) / 1.055, 2.4 );
	};
	return (
		0.2126 * channel( 0 ) + 0.7152 * channel( 2 ) + 0.0722 * channel( 4 )
	);
}

/** Contrast ratio of two #rrggbb colours, or null when either is not a colour. */
export function contrastRatio(
	a: string | undefined,
	b: string | undefined
): number | null {
	const la = luminance( a );
	const lb = luminance( b );
	if ( la === null || lb === null ) {
		return null;
	}
	return ( Math.max( la, lb ) + 0.05 ) / ( Math.min( la, lb ) + 0.05 );
}

/** WCAG 2.2 AA for normal text. */
export const MIN_CONTRAST = 4.5;
