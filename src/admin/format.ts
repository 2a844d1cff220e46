/** An ISO time in the reader's locale (medium date and time); the input as it is when not a time. */
export function formatTime( iso: string | null | undefined ): string {
	const date = new Date( iso ?? '' );
	if ( ! iso || Number.isNaN( date.getTime() ) ) {
		return iso || '';
	}
	return date.toLocaleString( undefined, {
		dateStyle: 'medium',
		timeStyle: 'medium',
	} );
}
