import { Button, TextControl, ToggleControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { FormEvent } from 'react';
import { getSite, saveScanSchedule } from '../../api/client.ts';
import Loaded from '../../components/Loaded.tsx';
import Messages from '../../components/Messages.tsx';
import { FieldMessage, fieldError } from '../../components/fields.tsx';
import { useLoad } from '../../hooks/useLoad.ts';
import { useNotices } from '../../hooks/useNotices.ts';

const DEFAULT_INTERVAL = 30;

/** Scheduled rescans of the site (the service runs them): on or off, and the days between them. */
export default function Schedule() {
	const load = useLoad( getSite, [] );
	const notices = useNotices();
	const [ enabled, setEnabled ] = useState( true );
	const [ intervalDays, setIntervalDays ] = useState( String( DEFAULT_INTERVAL ) );
	const [ busy, setBusy ] = useState( false );
	const stored = load.data?.site.scanSchedule;
	useEffect( () => {
		if ( stored ) {
			setEnabled( stored.enabled );
			setIntervalDays( String( stored.intervalDays ) );
		}
	}, [ stored ] );

	const save = async ( event: FormEvent ) => {
		event.preventDefault();
		setBusy( true );
		await notices.run( async () => {
			load.setData(
				await saveScanSchedule( {
					enabled,
					intervalDays: Number( intervalDays ),
				} )
			);
			return __( 'Scan schedule saved.', 'consentry' );
		} );
		setBusy( false );
	};

	return (
		<Loaded load={ load }>
			{ () => (
				<form
					className="consentry-scan-schedule consentry-fields"
					onSubmit={ save }
					noValidate
					aria-labelledby="consentry-scan-schedule-title"
				>
					<h3
						id="consentry-scan-schedule-title"
						className="consentry-section-title"
					>
						{ __( 'Scheduled rescans', 'consentry' ) }
					</h3>
					<ToggleControl
						__nextHasNoMarginBottom
						label={ __( 'Rescan this site regularly', 'consentry' ) }
						checked={ enabled }
						onChange={ setEnabled }
					/>
					<TextControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						type="number"
						min={ 1 }
						max={ 366 }
						label={ __( 'Days between scans', 'consentry' ) }
						value={ intervalDays }
						onChange={ setIntervalDays }
						disabled={ ! enabled }
						help={
							<FieldMessage
								message={ fieldError(
									notices.error,
									'scanSchedule/intervalDays',
									'scanSchedule'
								) }
								help={ __(
									'Counted from the end of the last scan (1 to 366; default 30).',
									'consentry'
								) }
							/>
						}
					/>
					<div aria-live="polite" className="consentry-messages">
						<Messages notices={ notices } />
					</div>
					<div className="consentry-actions">
						<Button
							variant="secondary"
							type="submit"
							isBusy={ busy }
							disabled={ busy }
							__next40pxDefaultSize
						>
							{ __( 'Save schedule', 'consentry' ) }
						</Button>
					</div>
				</form>
			) }
		</Loaded>
	);
}
