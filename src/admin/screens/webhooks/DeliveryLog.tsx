import { Button, Spinner } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import {
	asAdminError,
	listWebhookDeliveries,
	redeliverWebhook,
} from '../../api/client.ts';
import type { WebhookDelivery, WebhookEndpoint } from '../../api/types.ts';
import DataTable from '../../components/DataTable.tsx';
import Messages from '../../components/Messages.tsx';
import Pager from '../../components/Pager.tsx';
import { formatTime } from '../../format.ts';
import { usePaged } from '../../hooks/useLoad.ts';
import { stateLabel } from './labels.ts';

const DELIVERY_PAGE = 20;

/** One endpoint's delivery log, newest first, with Redeliver on each row. */
export default function DeliveryLog( {
	endpoint,
}: {
	endpoint: WebhookEndpoint;
} ) {
	const log = usePaged(
		( offset ) =>
			listWebhookDeliveries( endpoint.id, {
				limit: DELIVERY_PAGE,
				offset,
			} ),
		[ endpoint.id ]
	);
	const [ message, setMessage ] = useState( '' );
	const [ redelivering, setRedelivering ] = useState< string | null >( null );
	const captionId = `consentry-deliveries-${ endpoint.id }`;

	const redeliver = async ( delivery: WebhookDelivery ) => {
		setRedelivering( delivery.id );
		log.setError( null );
		setMessage( '' );
		try {
			await redeliverWebhook( endpoint.id, delivery.id );
			setMessage(
				sprintf(
					/* translators: %s: event type */ __(
						'%s queued again as a new delivery.',
						'consentry'
					),
					delivery.eventType
				)
			);
			if ( log.offset === 0 ) {
				await log.reload();
			} else {
				log.setOffset( 0 );
			}
		} catch ( e ) {
			log.setError( asAdminError( e ) );
		} finally {
			setRedelivering( null );
		}
	};

	const columns = {
		time: __( 'Time', 'consentry' ),
		event: __( 'Event', 'consentry' ),
		state: __( 'State', 'consentry' ),
		attempts: __( 'Attempts', 'consentry' ),
		status: __( 'Last status', 'consentry' ),
		lastError: __( 'Last error', 'consentry' ),
		actions: __( 'Actions', 'consentry' ),
	};

	return (
		<div className="consentry-webhook__log" data-testid="webhook-log">
			<div className="consentry-actions">
				<h4 className="consentry-form-title">
					{ __( 'Delivery log', 'consentry' ) }
				</h4>
				<Button
					size="compact"
					variant="secondary"
					onClick={ log.reload }
					disabled={ log.loading }
					accessibleWhenDisabled
				>
					{ __( 'Refresh', 'consentry' ) }
				</Button>
				{ log.loading ? <Spinner /> : null }
			</div>
			<div aria-live="polite" className="consentry-messages">
				<Messages
					notices={ {
						error: log.error,
						setError: log.setError,
						message,
						setMessage,
					} }
				/>
			</div>
			{ log.data ? (
				<>
					<DataTable
						captionId={ captionId }
						caption={ sprintf(
							/* translators: %s: endpoint URL */ __(
								'Deliveries to %s',
								'consentry'
							),
							endpoint.url
						) }
						className="widefat striped consentry-table consentry-log consentry-deliveries"
						busy={ log.loading }
						columns={ Object.values( columns ) }
						emptyText={ __(
							'No deliveries yet. They appear here when a subscribed event happens.',
							'consentry'
						) }
					>
						{ log.rows.map( ( delivery ) => (
							<tr
								key={ delivery.id }
								data-delivery-id={ delivery.id }
								data-state={ delivery.state }
							>
								<td data-label={ columns.time }>
									<time dateTime={ delivery.createdAt }>
										{ formatTime( delivery.createdAt ) }
									</time>
								</td>
								<td data-label={ columns.event }>
									<code>{ delivery.eventType }</code>
								</td>
								<td data-label={ columns.state }>
									<span
										className={ `consentry-badge is-${ delivery.state }` }
									>
										{ stateLabel( delivery.state ) }
									</span>
									{ delivery.state === 'pending' &&
									delivery.nextAttemptAt ? (
										<span className="consentry-help">
											{ ' ' }
											{ sprintf(
												/* translators: %s: date and time */ __(
													'next try %s',
													'consentry'
												),
												formatTime(
													delivery.nextAttemptAt
												)
											) }
										</span>
									) : null }
								</td>
								<td data-label={ columns.attempts }>
									{ sprintf(
										/* translators: 1: tries made, 2: tries allowed */ __(
											'%1$d of %2$d',
											'consentry'
										),
										delivery.attempts,
										delivery.maxAttempts
									) }
								</td>
								<td data-label={ columns.status }>
									{ delivery.lastStatus ?? '—' }
								</td>
								<td data-label={ columns.lastError }>
									{ delivery.lastError || '—' }
								</td>
								<td data-label={ columns.actions }>
									<Button
										size="compact"
										variant="secondary"
										onClick={ () => redeliver( delivery ) }
										isBusy={ redelivering === delivery.id }
										disabled={ Boolean( redelivering ) }
										accessibleWhenDisabled
										aria-label={ sprintf(
											/* translators: 1: event type, 2: date and time */ __(
												'Redeliver %1$s of %2$s',
												'consentry'
											),
											delivery.eventType,
											formatTime( delivery.createdAt )
										) }
									>
										{ __( 'Redeliver', 'consentry' ) }
									</Button>
								</td>
							</tr>
						) ) }
					</DataTable>
					{ log.total > DELIVERY_PAGE ? (
						<Pager
							label={ sprintf(
								/* translators: %s: endpoint URL */ __(
									'Delivery log pages of %s',
									'consentry'
								),
								endpoint.url
							) }
							offset={ log.offset }
							count={ log.rows.length }
							total={ log.total }
							pageSize={ DELIVERY_PAGE }
							loading={ log.loading }
							onOffset={ log.setOffset }
						/>
					) : null }
				</>
			) : null }
		</div>
	);
}
