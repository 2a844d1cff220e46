import {
	Button,
	Notice,
	SelectControl,
	TabPanel,
	TextControl,
	TextareaControl,
	ToggleControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { FormEvent } from 'react';
import { BANNER_LAYOUTS, BANNER_POSITIONS } from '#shared/consent.ts';
import { isUrlKey } from '#shared/texts.ts';
import type {
	BannerColors,
	BannerLayout,
	BannerPosition,
	BannerTexts,
} from '#shared/consent.ts';
import { asAdminError, getSite, saveSiteConfig } from '../api/client.ts';
import type { Site, SiteConfig } from '../api/types.ts';
import BannerPreview from '../components/BannerPreview.tsx';
import ColorField from '../components/ColorField.tsx';
import Loaded from '../components/Loaded.tsx';
import Messages from '../components/Messages.tsx';
import ScreenCard from '../components/ScreenCard.tsx';
import { DEFAULT_COLORS, builtInTexts } from '../components/bannerDefaults.ts';
import { FieldMessage, fieldError } from '../components/fields.tsx';
import { MIN_CONTRAST, contrastRatio } from '../contrast.ts';
import { useLoad } from '../hooks/useLoad.ts';
import { useNotices } from '../hooks/useNotices.ts';

const LANGUAGES = [
	{ name: 'en', title: __( 'English', 'consentry' ) },
	{ name: 'tr', title: __( 'Turkish', 'consentry' ) },
];

const TEXT_FIELDS: Array< {
	key: keyof BannerTexts;
	label: string;
	long?: boolean;
	type?: 'url';
} > = [
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
	{
		key: 'cookiePolicyLabel',
		label: __( 'Cookie declaration link text', 'consentry' ),
	},
	{
		key: 'cookiePolicyUrl',
		label: __( 'Cookie declaration URL', 'consentry' ),
		type: 'url',
	},
];

const COLOR_FIELDS: Array< { key: keyof BannerColors; label: string } > = [
	{ key: 'background', label: __( 'Background', 'consentry' ) },
	{ key: 'text', label: __( 'Text', 'consentry' ) },
	{ key: 'primary', label: __( 'Buttons', 'consentry' ) },
	{ key: 'primaryText', label: __( 'Button text', 'consentry' ) },
];

const POSITION_LABELS: Record< BannerPosition, string > = {
	bottom: __( 'Bottom', 'consentry' ),
	top: __( 'Top', 'consentry' ),
	'bottom-left': __( 'Bottom left', 'consentry' ),
	'bottom-right': __( 'Bottom right', 'consentry' ),
	center: __( 'Centre', 'consentry' ),
};
const POSITIONS = BANNER_POSITIONS.map( ( value ) => ( {
	value,
	label: POSITION_LABELS[ value ],
} ) );

const LAYOUT_LABELS: Record< BannerLayout, string > = {
	bar: __( 'Bar', 'consentry' ),
	box: __( 'Box', 'consentry' ),
	modal: __( 'Modal', 'consentry' ),
};
const LAYOUTS = BANNER_LAYOUTS.map( ( value ) => ( {
	value,
	label: LAYOUT_LABELS[ value ],
} ) );

/** The next policy version: the trailing number plus one ("1" -> "2", "2024.3" -> "2024.4"), else "-2" appended. */
export function nextPolicyVersion( version: string | undefined ): string {
	const current = String( version || '1' );
	const match = /^(.*?)(\d+)$/.exec( current );
	return match
		? `${ match[ 1 ] }${ Number( match[ 2 ] ) + 1 }`
		: `${ current }-2`;
}

/** The config being edited: as the service keeps it, except that the lifetime field may be empty. */
type EditedConfig = Omit< SiteConfig, 'consentLifetimeDays' > & {
	consentLifetimeDays?: number | '';
};

/**
 * The config as the service stores it: empty texts and an empty cookie domain left out
 * (the banner falls back to its built-in texts).
 */
function cleanConfig( config: EditedConfig ): SiteConfig {
	const texts: Record< string, BannerTexts > = {};
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
	const out: SiteConfig = {
		...config,
		texts,
		consentLifetimeDays: Number( config.consentLifetimeDays ) || 182,
	};
	if ( ! out.cookieDomain ) {
		delete out.cookieDomain;
	}
	return out;
}

/** A contrast warning for two colours; `pair` says what they are ("Text on background"). */
function ContrastCheck( {
	foreground,
	background,
	pair,
}: {
	foreground: string;
	background: string;
	pair: string;
} ) {
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
	const load = useLoad( async () => ( await getSite() ).site, [] );
	return (
		<Loaded load={ load }>
			{ ( site ) => (
				<BannerForm site={ site } onSaved={ load.setData } />
			) }
		</Loaded>
	);
}

/** The banner's settings and preview; `site` is the service's copy, `onSaved` gets the saved one. */
function BannerForm( {
	site,
	onSaved,
}: {
	site: Site;
	onSaved: ( site: Site ) => void;
} ) {
	const [ config, setConfig ] = useState< EditedConfig >( {
		...site.config,
	} );
	const notices = useNotices();
	const { error } = notices;
	const [ saving, setSaving ] = useState( false );
	const [ lang, setLang ] = useState( 'en' );

	const colors = { ...DEFAULT_COLORS, ...( config.colors || {} ) };
	// Compared with what the service has, so bumping and typing the old version back warns no more.
	const versionChanged =
		String( config.policyVersion ?? '1' ) !==
		String( site.config.policyVersion ?? '1' );
	const update = ( patch: EditedConfig ) => {
		notices.setMessage( '' );
		setConfig( ( current ) => ( { ...current, ...patch } ) );
	};
	const setText = (
		language: string,
		key: keyof BannerTexts,
		value: string
	) =>
		update( {
			texts: {
				...( config.texts || {} ),
				[ language ]: {
					...( ( config.texts || {} )[ language ] || {} ),
					[ key ]: value,
				},
			},
		} );
	const setColor = ( key: keyof BannerColors, value: string ) =>
		update( { colors: { ...colors, [ key ]: value } } );

	const onSave = async ( event: FormEvent ) => {
		event.preventDefault();
		setSaving( true );
		notices.clear();
		try {
			const result = await saveSiteConfig( cleanConfig( config ) );
			onSaved( result.site );
			setConfig( { ...result.site.config } );
			notices.setMessage(
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
			notices.setError( asAdminError( e ) );
		} finally {
			setSaving( false );
		}
	};

	const languages: Array< { name: string; title: string } > = [
		...LANGUAGES,
	];
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
					<ScreenCard title={ __( 'Texts', 'consentry' ) }>
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
										const placeholder = isUrlKey( field.key )
											? ''
											: builtInTexts( tab.name )[ field.key ];
										return (
											<Control
												key={ `${ tab.name }-${ field.key }` }
												__next40pxDefaultSize
												__nextHasNoMarginBottom
												label={ field.label }
												type={ field.type }
												lang={ tab.name }
												rows={
													field.long ? 4 : undefined
												}
												value={
													( ( config.texts || {} )[
														tab.name
													] || {} )[ field.key ] || ''
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
					</ScreenCard>

					<ScreenCard title={ __( 'Colours', 'consentry' ) }>
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
								pair={ __( 'Text on background', 'consentry' ) }
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
					</ScreenCard>

					<ScreenCard
						title={ __( 'Layout and behaviour', 'consentry' ) }
						bodyClassName="consentry-fields"
					>
						<SelectControl
							__next40pxDefaultSize
							__nextHasNoMarginBottom
							label={ __( 'Position', 'consentry' ) }
							value={ config.position || 'bottom' }
							options={ POSITIONS }
							onChange={ ( position ) => update( { position } ) }
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
								label={ __( 'Policy version', 'consentry' ) }
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
						<p id="consentry-bump-help" className="consentry-help">
							{ __(
								'A new policy version asks every visitor again, including those who already chose. Use it when your cookie use or privacy policy changes.',
								'consentry'
							) }
						</p>
						{ versionChanged ? (
							<Notice status="warning" isDismissible={ false }>
								{ sprintf(
									/* translators: %s: policy version */
									__(
										'Policy version %s takes effect when you save: every visitor will see the banner again.',
										'consentry'
									),
									config.policyVersion ?? '1'
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
								site.domain
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
					</ScreenCard>
				</div>

				<div className="consentry-banner__preview">
					<BannerPreview config={ config } lang={ lang } />
				</div>
			</div>

			<div className="consentry-savebar" aria-live="polite">
				<Messages notices={ notices } />
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
