import {
	CheckboxControl,
	TextControl,
	ToggleControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { FormEvent } from 'react';
import type { WebhookEventType } from '#shared/consent.ts';
import type { AdminError } from '../../api/client.ts';
import type { WebhookEndpoint, WebhookFields } from '../../api/types.ts';
import FormActions from '../../components/FormActions.tsx';
import { FieldMessage, fieldError } from '../../components/fields.tsx';
import { EVENTS } from './labels.ts';

interface Props {
	/** The endpoint being edited; none when adding. */
	endpoint?: WebhookEndpoint;
	/** Called with the fields to send. */
	onSubmit: ( fields: WebhookFields ) => void;
	onCancel: () => void;
	/** AdminError of the last submit. */
	error: AdminError | null;
	busy: boolean;
}

/** Add or edit one endpoint. Errors from WordPress or the service arrive in `error.fields`. */
export default function EndpointForm( {
	endpoint,
	onSubmit,
	onCancel,
	error,
	busy,
}: Props ) {
	const isNew = ! endpoint;
	const [ values, setValues ] = useState( {
		url: endpoint ? endpoint.url : '',
		description: endpoint ? endpoint.description : '',
		events: endpoint ? endpoint.events : EVENTS.map( ( e ) => e.type ),
		enabled: endpoint ? endpoint.enabled : true,
	} );
	const set =
		< K extends keyof typeof values >( key: K ) =>
		( value: ( typeof values )[ K ] ) =>
			setValues( ( current ) => ( { ...current, [ key ]: value } ) );
	const toggleEvent = ( type: WebhookEventType ) => ( checked: boolean ) =>
		setValues( ( current ) => ( {
			...current,
			events: checked
				? [ ...current.events.filter( ( t ) => t !== type ), type ]
				: current.events.filter( ( t ) => t !== type ),
		} ) );
	const idPrefix = `consentry-webhook-${ endpoint ? endpoint.id : 'new' }`;
	const eventsError = fieldError( error, 'events' );

	const submit = ( event: FormEvent ) => {
		event.preventDefault();
		onSubmit( {
			url: values.url.trim(),
			description: values.description.trim(),
			// In the order of the list, whatever order they were ticked in.
			events: EVENTS.map( ( e ) => e.type ).filter( ( t ) =>
				values.events.includes( t )
			),
			enabled: Boolean( values.enabled ),
		} );
	};

	return (
		<form
			className="consentry-webhook-form consentry-fields"
			onSubmit={ submit }
			noValidate
			aria-labelledby={ `${ idPrefix }-title` }
		>
			<h3 id={ `${ idPrefix }-title` } className="consentry-form-title">
				{ isNew
					? __( 'New endpoint', 'consentry' )
					: __( 'Edit endpoint', 'consentry' ) }
			</h3>
			<TextControl
				__next40pxDefaultSize
				__nextHasNoMarginBottom
				type="url"
				label={ __( 'Endpoint URL', 'consentry' ) }
				value={ values.url }
				onChange={ set( 'url' ) }
				required
				spellCheck={ false }
				autoComplete="off"
				help={
					<FieldMessage
						message={ fieldError( error, 'url' ) }
						help={ __(
							'An http or https URL of your receiver. Deliveries to private or local addresses are refused unless the service allows them.',
							'consentry'
						) }
					/>
				}
			/>
			<TextControl
				__next40pxDefaultSize
				__nextHasNoMarginBottom
				label={ __( 'Description', 'consentry' ) }
				value={ values.description }
				onChange={ set( 'description' ) }
				help={
					<FieldMessage
						message={ fieldError( error, 'description' ) }
						help={ __(
							'Optional: what receives these events.',
							'consentry'
						) }
					/>
				}
			/>
			<fieldset
				className="consentry-webhook-form__events"
				aria-describedby={ `${ idPrefix }-events-help` }
			>
				<legend>{ __( 'Events', 'consentry' ) }</legend>
				{ EVENTS.map( ( { type, label } ) => (
					<CheckboxControl
						key={ type }
						__nextHasNoMarginBottom
						label={ label }
						help={ <code>{ type }</code> }
						checked={ values.events.includes( type ) }
						onChange={ toggleEvent( type ) }
					/>
				) ) }
				<p
					id={ `${ idPrefix }-events-help` }
					className="consentry-help"
				>
					<FieldMessage
						message={ eventsError }
						help={ __( 'Pick at least one event.', 'consentry' ) }
					/>
				</p>
			</fieldset>
			<ToggleControl
				__nextHasNoMarginBottom
				label={ __( 'Enabled', 'consentry' ) }
				help={ __(
					'A disabled endpoint keeps its settings but gets no deliveries.',
					'consentry'
				) }
				checked={ values.enabled }
				onChange={ set( 'enabled' ) }
			/>
			<FormActions
				error={ error }
				busy={ busy }
				submitLabel={
					isNew
						? __( 'Add endpoint', 'consentry' )
						: __( 'Save endpoint', 'consentry' )
				}
				onCancel={ onCancel }
			/>
		</form>
	);
}
