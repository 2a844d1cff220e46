// A screen's error and success message (shown by <Messages>), and the usual
// way to run a change: clear both, do it, then show what happened.
import { useState } from '@wordpress/element';
import { asAdminError } from '../api/client.ts';
import type { AdminError } from '../api/client.ts';

export interface Notices {
	error: AdminError | null;
	message: string;
	setError: ( error: AdminError | null ) => void;
	setMessage: ( message: string ) => void;
	/** Clears the error and the message. */
	clear: () => void;
	/**
	 * Clears both, runs `work`, shows the text it returns; on an error, calls `undo` and shows the error.
	 *
	 * @param work Does the change; returns the success message or nothing.
	 * @param undo Puts back what `work` changed optimistically.
	 */
	run: (
		work: () => Promise< string | void >,
		undo?: () => void
	) => Promise< void >;
	/** Asks `question` first (a change that cannot be undone); on yes, does what `run` does. */
	runConfirmed: (
		question: string,
		work: () => Promise< string | void >
	) => Promise< void >;
}

export function useNotices(): Notices {
	const [ error, setError ] = useState< AdminError | null >( null );
	const [ message, setMessage ] = useState( '' );
	const clear = () => {
		setError( null );
		setMessage( '' );
	};
	const run: Notices[ 'run' ] = async ( work, undo ) => {
		clear();
		try {
			const text = await work();
			if ( text ) {
				setMessage( text );
			}
		} catch ( e ) {
			undo?.();
			setError( asAdminError( e ) );
		}
	};
	const runConfirmed: Notices[ 'runConfirmed' ] = async (
		question,
		work
	) => {
		// eslint-disable-next-line no-alert
		if ( window.confirm( question ) ) {
			await run( work );
		}
	};
	return { error, message, setError, setMessage, clear, run, runConfirmed };
}
