// Loading state every screen needs: the answer, its error, whether a request
// runs, and a way to load again. An answer that arrives after a newer request
// started is dropped, so quick paging never shows an older page last.
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';
import type { DependencyList, Dispatch, SetStateAction } from 'react';
import { asAdminError } from '../api/client.ts';
import type { AdminError } from '../api/client.ts';
import type { Page } from '../api/types.ts';

export interface Load< T > {
	/** The last answer; kept while a reload runs or fails. */
	data: T | null;
	/** Replaces the answer after a change the screen made itself. */
	setData: Dispatch< SetStateAction< T | null > >;
	error: AdminError | null;
	/** Sets or dismisses the error shown with the list. */
	setError: ( error: AdminError | null ) => void;
	loading: boolean;
	/** Loads again (Try again, Refresh, after a change). */
	reload: () => Promise< void >;
}

/**
 * Calls `fetch` on mount and whenever `deps` change.
 *
 * @param fetch The request.
 * @param deps  What the request depends on.
 */
export function useLoad< T >(
	fetch: () => Promise< T >,
	deps: DependencyList
): Load< T > {
	const [ data, setData ] = useState< T | null >( null );
	const [ error, setError ] = useState< AdminError | null >( null );
	const [ loading, setLoading ] = useState( true );
	const latest = useRef( 0 );
	const reload = useCallback( async () => {
		const call = ++latest.current;
		setLoading( true );
		setError( null );
		try {
			const answer = await fetch();
			if ( call === latest.current ) {
				setData( () => answer );
			}
		} catch ( e ) {
			if ( call === latest.current ) {
				setError( asAdminError( e ) );
			}
		} finally {
			if ( call === latest.current ) {
				setLoading( false );
			}
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, deps );
	useEffect( () => {
		reload();
	}, [ reload ] );
	return { data, setData, error, setError, loading, reload };
}

export interface Paged< T > extends Load< Page< T > > {
	offset: number;
	setOffset: ( offset: number ) => void;
	/** Rows of the page shown (none before the first answer). */
	rows: T[];
	/** Rows in all. */
	total: number;
}

/**
 * An offset-paged list: loads the page at `offset` (from 0) and again when `deps` change.
 *
 * @param fetchPage Requests the page at an offset.
 * @param deps      What the request depends on besides the offset.
 */
export function usePaged< T >(
	fetchPage: ( offset: number ) => Promise< Page< T > >,
	deps: DependencyList
): Paged< T > {
	const [ offset, setOffset ] = useState( 0 );
	const load = useLoad( () => fetchPage( offset ), [ offset, ...deps ] );
	return {
		...load,
		offset,
		setOffset,
		rows: load.data?.data ?? [],
		total: load.data?.pagination?.total ?? 0,
	};
}

export interface ListLoad< T extends { id: string } > extends Load< T[] > {
	/** Appends a row the screen created. */
	add: ( row: T ) => void;
	/** Puts `row` in place of the row with its id. */
	replace: ( row: T ) => void;
	/** Drops the row with this id. */
	remove: ( id: string ) => void;
}

/**
 * A list of rows with ids, loaded like useLoad, with the changes a screen makes after a request.
 *
 * @param fetch The request.
 * @param deps  What the request depends on.
 */
export function useList< T extends { id: string } >(
	fetch: () => Promise< T[] >,
	deps: DependencyList
): ListLoad< T > {
	const load = useLoad( fetch, deps );
	const { setData } = load;
	return {
		...load,
		add: ( row ) => setData( ( list ) => [ ...( list ?? [] ), row ] ),
		replace: ( row ) =>
			setData(
				( list ) =>
					list?.map( ( r ) => ( r.id === row.id ? row : r ) ) ?? null
			),
		remove: ( id ) =>
			setData( ( list ) => list?.filter( ( r ) => r.id !== id ) ?? null ),
	};
}
