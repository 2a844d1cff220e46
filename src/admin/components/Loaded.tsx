import { Spinner } from '@wordpress/components';
import type { ReactNode } from 'react';
import type { Load } from '../hooks/useLoad.ts';
import LoadError from './LoadError.tsx';

/** A screen that needs its data first: a spinner while it loads, the error with Try again, then the screen. */
export default function Loaded< T >( {
	load,
	children,
}: {
	load: Load< T >;
	children: ( data: T ) => ReactNode;
} ) {
	if ( load.error ) {
		return <LoadError error={ load.error } onRetry={ load.reload } />;
	}
	if ( load.data === null ) {
		return <Spinner />;
	}
	return <>{ children( load.data ) }</>;
}
