// What the scanner's enums are called on screen (each enum is written once, in src/shared/enums.ts).
import { __ } from '@wordpress/i18n';
import { REVIEW_STATES, STORAGE_KINDS } from '#shared/consent.ts';
import type {
	ReviewState,
	ScanFailureReason,
	ScanPass,
	ScanState,
	ScanViolationKind,
	StorageKind,
} from '#shared/consent.ts';

const STATE_LABELS: Record< ScanState, string > = {
	queued: __( 'Waiting to start', 'consentry' ),
	running: __( 'Scanning', 'consentry' ),
	completed: __( 'Completed', 'consentry' ),
	partial: __( 'Completed, some pages failed', 'consentry' ),
	failed: __( 'Failed', 'consentry' ),
	cancelled: __( 'Cancelled', 'consentry' ),
};
export const stateLabel = ( state: ScanState ): string =>
	STATE_LABELS[ state ] ?? state;

const PASS_LABELS: Record< ScanPass, string > = {
	before: __( 'Before any choice', 'consentry' ),
	accept: __( 'After “Accept all”', 'consentry' ),
	reject: __( 'After “Reject all”', 'consentry' ),
};
export const passLabel = ( pass: ScanPass ): string =>
	PASS_LABELS[ pass ] ?? pass;

const KIND_LABELS: Record< ScanViolationKind, string > = {
	cookie: __( 'Cookie', 'consentry' ),
	localStorage: __( 'Local storage', 'consentry' ),
	sessionStorage: __( 'Session storage', 'consentry' ),
	indexedDB: __( 'IndexedDB database', 'consentry' ),
	host: __( 'Tracker host', 'consentry' ),
};
/** A storage kind, or `host` (a violation that names a tracker's host). */
export const kindLabel = ( kind: ScanViolationKind | StorageKind ): string =>
	KIND_LABELS[ kind ] ?? kind;
export const KINDS = STORAGE_KINDS.map( ( value ) => ( {
	value,
	label: KIND_LABELS[ value ],
} ) );

const REVIEW_LABELS: Record< ReviewState, string > = {
	todo: __( 'To review', 'consentry' ),
	done: __( 'Reviewed (published)', 'consentry' ),
	ignored: __( 'Ignored (not published)', 'consentry' ),
};
export const reviewLabel = ( state: ReviewState ): string =>
	REVIEW_LABELS[ state ] ?? state;
export const REVIEWS = REVIEW_STATES.map( ( value ) => ( {
	value,
	label: REVIEW_LABELS[ value ],
} ) );

const REASON_LABELS: Record< ScanFailureReason, string > = {
	browser_unavailable: __(
		'No browser for scans on the service’s host.',
		'consentry'
	),
	unreachable: __( 'The site did not answer the scanner.', 'consentry' ),
	blocked: __(
		'The address is not allowed (another domain, or a private address).',
		'consentry'
	),
	timeout: __( 'The scan ran out of time.', 'consentry' ),
	interrupted: __( 'The service stopped during the scan.', 'consentry' ),
	internal: __( 'The scanner failed.', 'consentry' ),
};
export const reasonLabel = ( reason: ScanFailureReason ): string =>
	REASON_LABELS[ reason ] ?? reason;
