import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Notice,
	SelectControl,
	Spinner,
	TabPanel,
	TextControl,
	TextareaControl,
	ToggleControl,
} from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { getSite, saveSiteConfig } from '../api/client.js';
import BannerPreview from '../components/BannerPreview.js';
import ColorField from '../components/ColorField.js';
import Messages from '../components/Messages.js';
import LoadError from '../components/LoadError.js';
import { BUILT_IN_TEXTS, DEFAULT_COLORS } from '../components/builtInTexts.js';
import { FieldMessage, fieldError } from '../components/fields.js';
import { MIN_CONTRAST, contrastRatio } from '../contrast.js';

const LANGUAGES = [
	{ name: 'en', title: __( 'English', 'consentry' ) },
	{ name: 'tr', title: __( 'Turkish', 'consentry' ) },
];

const TEXT_FIELDS = [
	{ key: 'title', label: __( 'Title', 'consentry' ) },
	{ key: 'description', label: __( 'Description', 'consentry' ), long: true },
	{ key: 'acceptAll', label: __( '“Accept all” button', 'consentry' ) },
	{ key: 'rejectAll', label: __( '“Reject all” button', 'consentry' ) },
	{ key: 'customize', label: __( '“Customize” button', 'consentry' ) },
	{ key: 'save', label: __( '“Save choices” button', 'consentry' ) },
	{ key: 'close', label: __( '“Close” button', 'consentry' ) },
	{ key: 'settings', label: __( '“Cookie settings” link', 'consentry' ) },
	{
		key: 'privacyPolicyLabel',
		label: __( 'Privacy policy link text', 'consentry' ),
	},
	{
		key: 'privacyPolicyUrl',
		label: __( 'Privacy policy URL', 'consentry' ),
		type: 'url',
	},
];

const COLOR_FIELDS = [
	{ key: 'background', label: __( 'Background', 'consentry' ) },
	{ key: 'text', label: __( 'Text', 'consentry' ) },
	{ key: 'primary', label: __( 'Buttons', 'consentry' ) },
	{ key: 'primaryText', label: __( 'Button text', 'consentry' ) },
];

const POSITIONS = [
	{ value: 'bottom', label: __( 'Bottom', 'consentry' ) },
	{ value: 'top', label: __( 'Top', 'consentry' ) },
	{ value: 'bottom-left', label: __( 'Bottom left', 'consentry' ) },
	{ value: 'bottom-right', label: __( 'Bottom right', 'consentry' ) },
	{ value: 'center', label: __( 'Centre', 'consentry' ) },
];

const LAYOUTS = [
	{ value: 'bar', label: __( 'Bar', 'consentry' ) },
	{ value: 'box', label: __( 'Box', 'consentry' ) },
	{ value: 'modal', label: __( 'Modal', 'consentry' ) },
];

/**
 * The next policy version: the trailing number plus one ("1" -> "2", "2024.3" -> "2024.4"), else "-2" appended.
 *
 * @param {string} version Current version.
 * @return {string} Next version.
 */
export function nextPolicyVersion( version ) {
	const current = String( version || '1' );
	const match = /^(.*?)(\d+)$/.exec( current );
	return match
		? `${ match[ 1 ] }${ Number( match[ 2 ] ) + 1 }`
		: `${ current }-2`;
}

/**
 * The config as the service stores it: empty texts and an empty cookie domain left out
 * (the banner falls back to its built-in texts).
 *
 * @param {Object} config Edited config.
 * @return {Object} Config to send.
 */
function cleanConfig( config ) {
	const out = { ...config };
	const texts = {};
	for ( const [ lang, values ] of Object.entries( config.texts || {} ) ) {
		const kept = Object.fromEntries(
			Object.entries( values || {} ).filter(
				( [ , v ] ) => typeof v === 'string' && v.trim() !== ''
			)
		);
		if ( Object.keys( kept ).length ) {
			texts[ lang ] = kept;
		}
	}
	out.texts = texts;
	if ( ! out.cookieDomain ) {
		delete out.cookieDomain;
	}
	out.consentLifetimeDays = Number( out.consentLifetimeDays ) || 182;
	return out;
}

/**
 * A contrast warning for two colours.
 *
 * @param {Object} props
 * @param {string} props.foreground
 * @param {string} props.background
 * @param {string} props.pair       What the pair is ("Text on background").
 */
function ContrastCheck( { foreground, background, pair } ) {
	const ratio = contrastRatio( foreground, background );
	if ( ratio === null ) {
		return null;
	}
	const text = sprintf(
		/* translators: 1: what is compared, e.g. "Text on background", 2: ratio like 3.2 */
		__( '%1$s: contrast %2$s:1', 'consentry' ),
		pair,
		ratio.toFixed( 2 )
	);
	if ( ratio >= MIN_CONTRAST ) {
		return (
			<p className="consentry-contrast is-ok">
				{ text } — { __( 'passes WCAG AA (4.5:1).', 'consentry' ) }
			</p>
		);
	}
	return (
		<Notice
			status="warning"
			isDismissible={ false }
			className="consentry-contrast is-low"
		>
			{ text } —{ ' ' }
			{ __(
				'below the 4.5:1 that WCAG AA asks for. Some visitors will not be able to read it.',
				'consentry'
			) }
		</Notice>
	);
}

export default function Banner() {
	const [ site, setSite ] = useState( null );
	const [ config, setConfig ] = useState( null );
	const [ loadError, setLoadError ] = useState( null );
	const [ error, setError ] = useState( null );
	const [ saving, setSaving ] = useState( false );
	const [ saved, setSaved ] = useState( '' );
	const [ lang, setLang ] = useState( 'en' );

	const load = async () => {
		setLoadError( null );
		try {
			const result = await getSite();
			setSite( result.site );
			setConfig( { ...result.site.config } );
		} catch ( e ) {
			setLoadError( e );
		}
	};
	useEffect( () => {
		load();
	}, [] );

	if ( loadError ) {
		return <LoadError error={ loadError } onRetry={ load } />;
	}
	if ( ! config ) {
		return <Spinner />;
	}

	const colors = { ...DEFAULT_COLORS, ...( config.colors || {} ) };
	// Compared with what the service has, so bumping and typing the old version back warns no more.
	const versionChanged =
		String( config.policyVersion ?? '1' ) !==
		String( site.config.policyVersion ?? '1' );
	const update = ( patch ) => {
		setSaved( '' );
		setConfig( ( current ) => ( { ...current, ...patch } ) );
	};
	const setText = ( language, key, value ) =>
		update( {
			texts: {
				...( config.texts || {} ),
				[ language ]: {
					...( ( config.texts || {} )[ language ] || {} ),
					[ key ]: value,
				},
			},
		} );
	const setColor = ( key, value ) =>
		update( { colors: { ...colors, [ key ]: value } } );

	const onSave = async ( event ) => {
		event.preventDefault();
		setSaving( true );
		setError( null );
		setSaved( '' );
		try {
			const result = await saveSiteConfig( cleanConfig( config ) );
			setSite( result.site );
			setConfig( { ...result.site.config } );
			setSaved(
				versionChanged
					? __(
							'Saved. The policy version changed: every visitor will be asked again.',
							'consentry'
						)
					: __(
							'Saved. Visitors get the new banner within a few minutes at most.',
							'consentry'
						)
			);
		} catch ( e ) {
			setError( e );
		} finally {
			setSaving( false );
		}
	};

	const languages = [ ...LANGUAGES ];
	for ( const tag of Object.keys( config.texts || {} ) ) {
		if ( ! languages.some( ( l ) => l.name === tag ) ) {
			languages.push( { name: tag, title: tag } );
		}
	}

	return (
		<form
			className="consentry-screen consentry-banner"
			onSubmit={ onSave }
			noValidate
		>
			<div className="consentry-banner__grid">
				<div className="consentry-banner__settings">
					<Card>
						<CardHeader>
							<h2 className="consentry-card-title">
								{ __( 'Texts', 'consentry' ) }
							</h2>
						</CardHeader>
						<CardBody>
							<p className="consentry-help">
								{ __(
									'Leave a field empty to use the built-in text.',
									'consentry'
								) }
							</p>
							<TabPanel
								className="consentry-lang-tabs"
								tabs={ languages }
								onSelect={ setLang }
								initialTabName={ lang }
							>
								{ ( tab ) => (
									<div className="consentry-fields">
										{ TEXT_FIELDS.map( ( field ) => {
											const Control = field.long
												? TextareaControl
												: TextControl;
											const placeholder =
												( BUILT_IN_TEXTS[ tab.name ] ||
													BUILT_IN_TEXTS.en )[
													field.key
												] || '';
											return (
												<Control
													key={ `${ tab.name }-${ field.key }` }
													__next40pxDefaultSize
													__nextHasNoMarginBottom
													label={ field.label }
													type={ field.type }
													lang={ tab.name }
													rows={
														field.long
															? 4
															: undefined
													}
													value={
														( ( config.texts ||
															{} )[ tab.name ] ||
															{} )[ field.key ] ||
														''
													}
													placeholder={ placeholder }
													onChange={ ( value ) =>
														setText(
															tab.name,
															field.key,
															value
														)
													}
													help={
														<FieldMessage
															message={ fieldError(
																error,
																`config/texts/${ tab.name }/${ field.key }`
															) }
														/>
													}
												/>
											);
										} ) }
									</div>
								) }
							</TabPanel>
						</CardBody>
					</Card>

					<Card>
						<CardHeader>
							<h2 className="consentry-card-title">
								{ __( 'Colours', 'consentry' ) }
							</h2>
						</CardHeader>
						<CardBody>
							<div className="consentry-colors">
								{ COLOR_FIELDS.map( ( field ) => (
									<ColorField
										key={ field.key }
										label={ field.label }
										value={ colors[ field.key ] }
										onChange={ ( value ) =>
											setColor( field.key, value )
										}
										error={ fieldError(
											error,
											`config/colors/${ field.key }`
										) }
									/>
								) ) }
							</div>
							<div aria-live="polite">
								<ContrastCheck
									foreground={ colors.text }
									background={ colors.background }
									pair={ __(
										'Text on background',
										'consentry'
									) }
								/>
								<ContrastCheck
									foreground={ colors.primaryText }
									background={ colors.primary }
									pair={ __(
										'Button text on buttons',
										'consentry'
									) }
								/>
							</div>
						</CardBody>
					</Card>

					<Card>
						<CardHeader>
							<h2 className="consentry-card-title">
								{ __( 'Layout and behaviour', 'consentry' ) }
							</h2>
						</CardHeader>
						<CardBody className="consentry-fields">
							<SelectControl
								__next40pxDefaultSize
								__nextHasNoMarginBottom
								label={ __( 'Position', 'consentry' ) }
								value={ config.position || 'bottom' }
								options={ POSITIONS }
								onChange={ ( position ) =>
									update( { position } )
								}
							/>
							<SelectControl
								__next40pxDefaultSize
								__nextHasNoMarginBottom
								label={ __( 'Layout', 'consentry' ) }
								value={ config.layout || 'bar' }
								options={ LAYOUTS }
								onChange={ ( layout ) => update( { layout } ) }
							/>
							<TextControl
								__next40pxDefaultSize
								__nextHasNoMarginBottom
								label={ __(
									'Consent lifetime (days)',
									'consentry'
								) }
								type="number"
								min={ 1 }
								max={ 395 }
								value={ config.consentLifetimeDays ?? 182 }
								onChange={ ( value ) =>
									update( {
										consentLifetimeDays:
											value === '' ? '' : Number( value ),
									} )
								}
								help={
									<FieldMessage
										message={ fieldError(
											error,
											'config/consentLifetimeDays'
										) }
										help={ __(
											'After this many days the banner asks again. At most 395 (13 months).',
											'consentry'
										) }
									/>
								}
							/>
							<div className="consentry-version">
								<TextControl
									__next40pxDefaultSize
									__nextHasNoMarginBottom
									label={ __(
										'Policy version',
										'consentry'
									) }
									value={ config.policyVersion ?? '1' }
									onChange={ ( policyVersion ) =>
										update( { policyVersion } )
									}
									help={
										<FieldMessage
											message={ fieldError(
												error,
												'config/policyVersion'
											) }
											help={ __(
												'Letters, digits, dot, dash and underscore.',
												'consentry'
											) }
										/>
									}
								/>
								<Button
									variant="secondary"
									__next40pxDefaultSize
									onClick={ () =>
										update( {
											policyVersion: nextPolicyVersion(
												config.policyVersion
											),
										} )
									}
									aria-describedby="consentry-bump-help"
								>
									{ __( 'Bump version', 'consentry' ) }
								</Button>
							</div>
							<p
								id="consentry-bump-help"
								className="consentry-help"
							>
								{ __(
									'A new policy version asks every visitor again, including those who already chose. Use it when your cookie use or privacy policy changes.',
									'consentry'
								) }
							</p>
							{ versionChanged ? (
								<Notice
									status="warning"
									isDismissible={ false }
								>
									{ sprintf(
										/* translators: %s: policy version */
										__(
											'Policy version %s takes effect when you save: every visitor will see the banner again.',
											'consentry'
										),
										config.policyVersion
									) }
								</Notice>
							) : null }
							<ToggleControl
								__nextHasNoMarginBottom
								label={ __(
									'Floating “Cookie settings” button',
									'consentry'
								) }
								help={ __(
									'A small button on every page that reopens the preference centre. Turn it off when you place the shortcode or block yourself.',
									'consentry'
								) }
								checked={ config.floatingButton !== false }
								onChange={ ( floatingButton ) =>
									update( { floatingButton } )
								}
							/>
							<TextControl
								__next40pxDefaultSize
								__nextHasNoMarginBottom
								label={ __( 'Cookie domain', 'consentry' ) }
								value={ config.cookieDomain || '' }
								placeholder={
									site && site.domain
										? `.${ site.domain.replace( /:\d+$/, '' ) }`
										: '.example.com'
								}
								onChange={ ( cookieDomain ) =>
									update( {
										cookieDomain: cookieDomain
											.trim()
											.toLowerCase(),
									} )
								}
								help={
									<FieldMessage
										message={ fieldError(
											error,
											'config/cookieDomain'
										) }
										help={ __(
											'Share the choice across subdomains, e.g. .example.com. Leave empty for this host only.',
											'consentry'
										) }
									/>
								}
							/>
						</CardBody>
					</Card>
				</div>

				<div className="consentry-banner__preview">
					<BannerPreview config={ config } lang={ lang } />
				</div>
			</div>

			<div className="consentry-savebar" aria-live="polite">
				<Messages
					error={ error }
					onDismissError={ () => setError( null ) }
					message={ saved }
					onDismissMessage={ () => setSaved( '' ) }
				/>
				<Button
					variant="primary"
					type="submit"
					isBusy={ saving }
					disabled={ saving }
					__next40pxDefaultSize
				>
					{ __( 'Save banner', 'consentry' ) }
				</Button>
			</div>
		</form>
	);
}
