import {
	Button,
	CheckboxControl,
	SelectControl,
	ToggleControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { FormEvent } from 'react';
import {
	DISPLAY_OPENER_POSITIONS,
	DISPLAY_PROFILES,
	displayPreferencesOf,
} from '#shared/consent.ts';
import type {
	DisplayOpenerPosition,
	DisplayPreferences as Preferences,
	DisplayProfile,
} from '#shared/consent.ts';
import {
	asAdminError,
	getDisplayUsage,
	getSite,
	saveSiteConfig,
} from '../api/client.ts';
import type { DisplayUsageReport, Site } from '../api/types.ts';
import Loaded from '../components/Loaded.tsx';
import Messages from '../components/Messages.tsx';
import ScreenCard from '../components/ScreenCard.tsx';
import StackedBarChart from '../components/StackedBarChart.tsx';
import type { ChartSeries } from '../components/StackedBarChart.tsx';
import { useLoad } from '../hooks/useLoad.ts';
import { useNotices } from '../hooks/useNotices.ts';

export const PROFILE_LABELS: Record< DisplayProfile, () => string > = {
	seizure_safe: () => __( 'Seizure safe', 'consentry' ),
	vision_impaired: () => __( 'Vision impaired', 'consentry' ),
	adhd_friendly: () => __( 'ADHD friendly', 'consentry' ),
	dyslexia_friendly: () => __( 'Dyslexia friendly', 'consentry' ),
	cognitive: () => __( 'Cognitive', 'consentry' ),
	keyboard_motor: () => __( 'Keyboard and motor', 'consentry' ),
};

const POSITION_LABELS: Record< DisplayOpenerPosition, () => string > = {
	'bottom-left': () => __( 'Bottom left', 'consentry' ),
	'bottom-right': () => __( 'Bottom right', 'consentry' ),
	'middle-left': () => __( 'Middle left', 'consentry' ),
	'middle-right': () => __( 'Middle right', 'consentry' ),
};

/** One colour per profile (the Okabe–Ito palette, told apart with colour-vision deficiencies too). */
const PROFILE_SERIES: ChartSeries[] = DISPLAY_PROFILES.map( ( profile ) => ( {
	key: profile,
	label: PROFILE_LABELS[ profile ],
	className: `is-profile-${ profile.replace( /_/g, '-' ) }`,
} ) );

const RANGES = {
	days: { interval: 'day', hours: 30 * 24 },
	hours: { interval: 'hour', hours: 48 },
} as const;
type Range = keyof typeof RANGES;

export default function DisplayPreferences() {
	const load = useLoad( () => getSite().then( ( answer ) => answer.site ), [] );
	return (
		<div className="consentry-screen consentry-display">
			<Loaded load={ load }>
				{ ( site ) => (
					<DisplayForm site={ site } onSaved={ load.setData } />
				) }
			</Loaded>
			<UsageCard />
		</div>
	);
}

/** What the widget is and is not, and how its counts stay anonymous: said plainly, with no claim of compliance. */
function About() {
	return (
		<div className="consentry-display__about">
			<p>
				{ __(
					'Display preferences let visitors change how your pages look to them: text size and spacing, a readable font, contrast, fewer animations, highlighted links, a stronger focus outline, a bigger cursor and a reading guide. Nothing changes until a visitor asks for it. The profiles are presets of these adjustments; the visitor sees what each one turns on and can change any of it.',
					'consentry'
				) }
			</p>
			<p>
				{ __(
					'It changes presentation only. It adds no labels or alternative text, and it does not change how screen readers or keyboards move through the page. It is not a substitute for an accessible site: fix accessibility problems in your theme and content. Consentry makes no claim of compliance with any accessibility standard or law.',
					'consentry'
				) }
			</p>
			<p>
				{ __(
					'Counts are anonymous. When a visitor picks a profile, the browser sends only the name of the profile; the service keeps a count per profile and hour for this site. Nothing links a profile to a visitor, a consent record, an IP address or a session. The a11y.profile_used webhook sends each hour’s counts once the hour is over.',
					'consentry'
				) }
			</p>
		</div>
	);
}

/** The widget's settings, saved into the site's configuration (the rest of it kept as it is). */
function DisplayForm( {
	site,
	onSaved,
}: {
	site: Site;
	onSaved: ( site: Site ) => void;
} ) {
	const [ prefs, setPrefs ] = useState< Preferences >(
		displayPreferencesOf( site.config )
	);
	const [ saving, setSaving ] = useState( false );
	const notices = useNotices();
	const update = ( patch: Partial< Preferences > ) => {
		notices.setMessage( '' );
		setPrefs( ( current ) => ( { ...current, ...patch } ) );
	};
	const toggleProfile = ( profile: DisplayProfile, on: boolean ) =>
		update( {
			// Kept in the shared order, whatever order they were ticked in.
			profiles: DISPLAY_PROFILES.filter( ( p ) =>
				p === profile ? on : prefs.profiles.includes( p )
			),
		} );

	const onSave = async ( event: FormEvent ) => {
		event.preventDefault();
		setSaving( true );
		notices.clear();
		try {
			// The latest configuration, so that a change made on the Banner screen meanwhile is kept.
			const current = ( await getSite() ).site.config;
			const result = await saveSiteConfig( {
				...current,
				displayPreferences: prefs,
			} );
			onSaved( result.site );
			setPrefs( displayPreferencesOf( result.site.config ) );
			notices.setMessage(
				__(
					'Saved. Visitors see the change within a few minutes at most.',
					'consentry'
				)
			);
		} catch ( e ) {
			notices.setError( asAdminError( e ) );
		} finally {
			setSaving( false );
		}
	};

	return (
		<form onSubmit={ onSave } noValidate>
			<ScreenCard title={ __( 'Display preferences', 'consentry' ) }>
				<About />
				<div className="consentry-fields">
					<ToggleControl
						__nextHasNoMarginBottom
						label={ __(
							'Offer display preferences to visitors',
							'consentry'
						) }
						help={ __(
							'Shows a small button on every page that opens the display preferences. Its code loads only when a visitor opens it.',
							'consentry'
						) }
						checked={ prefs.enabled }
						onChange={ ( enabled ) => update( { enabled } ) }
					/>
					<SelectControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						label={ __( 'Button position', 'consentry' ) }
						value={ prefs.position }
						options={ DISPLAY_OPENER_POSITIONS.map(
							( value ) => ( {
								value,
								label: POSITION_LABELS[ value ](),
							} )
						) }
						onChange={ ( position ) =>
							update( {
								position: position as DisplayOpenerPosition,
							} )
						}
					/>
					<fieldset className="consentry-display__profiles">
						<legend>{ __( 'Profiles offered', 'consentry' ) }</legend>
						<p className="consentry-help">
							{ __(
								'The individual adjustments are always offered; untick a profile to leave its preset out.',
								'consentry'
							) }
						</p>
						{ DISPLAY_PROFILES.map( ( profile ) => (
							<CheckboxControl
								key={ profile }
								__nextHasNoMarginBottom
								label={ PROFILE_LABELS[ profile ]() }
								checked={ prefs.profiles.includes( profile ) }
								onChange={ ( on ) =>
									toggleProfile( profile, on )
								}
							/>
						) ) }
					</fieldset>
				</div>
			</ScreenCard>
			<div className="consentry-savebar" aria-live="polite">
				<Messages notices={ notices } />
				<Button
					variant="primary"
					type="submit"
					isBusy={ saving }
					disabled={ saving }
					__next40pxDefaultSize
				>
					{ __( 'Save display preferences', 'consentry' ) }
				</Button>
			</div>
		</form>
	);
}

/** How often each profile was picked: the last 30 days per day, or the last 48 hours per hour. */
function UsageCard() {
	const [ range, setRange ] = useState< Range >( 'days' );
	const load = useLoad( () => {
		const { interval, hours } = RANGES[ range ];
		const to = new Date();
		const from = new Date( to.getTime() - hours * 60 * 60 * 1000 );
		return getDisplayUsage( {
			interval,
			from: from.toISOString(),
			to: to.toISOString(),
		} );
	}, [ range ] );
	return (
		<ScreenCard
			title={ __( 'How often each profile is used', 'consentry' ) }
			actions={
				<Button
					variant="secondary"
					onClick={ load.reload }
					isBusy={ load.loading }
					__next40pxDefaultSize
				>
					{ __( 'Refresh', 'consentry' ) }
				</Button>
			}
		>
			<SelectControl
				__next40pxDefaultSize
				__nextHasNoMarginBottom
				label={ __( 'Period', 'consentry' ) }
				value={ range }
				options={ [
					{
						value: 'days',
						label: __( 'Last 30 days, per day', 'consentry' ),
					},
					{
						value: 'hours',
						label: __( 'Last 48 hours, per hour', 'consentry' ),
					},
				] }
				onChange={ ( value ) => setRange( value as Range ) }
			/>
			<Loaded load={ load }>
				{ ( report ) => <ProfileChart report={ report } /> }
			</Loaded>
		</ScreenCard>
	);
}

function ProfileChart( { report }: { report: DisplayUsageReport } ) {
	const hourly = report.interval === 'hour';
	const description = sprintf(
		/* translators: 1: number of uses, 2: list of "profile: count" */
		__( '%1$d uses in the period. %2$s', 'consentry' ),
		report.total,
		DISPLAY_PROFILES.map(
			( p ) => `${ PROFILE_LABELS[ p ]() }: ${ report.totals[ p ] }`
		).join( ', ' )
	);
	return (
		<>
			<p className="consentry-display__total">{ description }</p>
			<StackedBarChart
				id="consentry-display-chart"
				title={
					hourly
						? __( 'Profile uses per hour (UTC)', 'consentry' )
						: __( 'Profile uses per day (UTC)', 'consentry' )
				}
				description={ description }
				barHeading={
					hourly
						? __( 'Hour (UTC)', 'consentry' )
						: __( 'Date', 'consentry' )
				}
				series={ PROFILE_SERIES }
				bars={ report.buckets.map( ( bucket ) => ( {
					id: bucket.start,
					label: hourly
						? bucket.start.slice( 0, 16 ).replace( 'T', ' ' )
						: bucket.start.slice( 0, 10 ),
					axis: hourly
						? bucket.start.slice( 11, 16 )
						: bucket.start.slice( 5, 10 ),
					values: bucket.counts,
				} ) ) }
			/>
		</>
	);
}
