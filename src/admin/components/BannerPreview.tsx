import { __ } from '@wordpress/i18n';
import type { SiteConfig } from '#shared/consent.ts';
import { DEFAULT_COLORS, effectiveTexts } from './bannerDefaults.ts';

/**
 * A look-alike of the visitor banner's first layer with the config being edited,
 * in language `lang`. Plain markup inside a framed "page"; it does not load the real bundle.
 */
export default function BannerPreview( {
	config,
	lang,
}: {
	config: Pick<
		SiteConfig,
		'texts' | 'colors' | 'position' | 'layout' | 'floatingButton'
	>;
	lang: string;
} ) {
	const colors = { ...DEFAULT_COLORS, ...( config.colors || {} ) };
	const texts = effectiveTexts( lang, config.texts );
	const position = config.position || 'bottom';
	const layout = config.layout || 'bar';
	const buttonStyle = {
		background: colors.primary,
		color: colors.primaryText,
		borderColor: colors.primary,
	};
	return (
		<figure
			className="consentry-preview"
			aria-labelledby="consentry-preview-caption"
		>
			<figcaption
				id="consentry-preview-caption"
				className="consentry-preview__caption"
			>
				{ __( 'Preview', 'consentry' ) }
			</figcaption>
			<div
				className={ `consentry-preview__page is-${ layout }` }
				lang={ lang }
				data-testid="banner-preview"
			>
				<div className="consentry-preview__lines" aria-hidden="true">
					<span />
					<span />
					<span />
					<span />
				</div>
				{ layout === 'modal' ? (
					<div
						className="consentry-preview__backdrop"
						aria-hidden="true"
					/>
				) : null }
				<div
					className={ `consentry-preview__banner is-${ layout } is-${ position }` }
					style={ {
						background: colors.background,
						color: colors.text,
					} }
				>
					<p className="consentry-preview__title">{ texts.title }</p>
					<p className="consentry-preview__text">
						{ texts.description }{ ' ' }
						{ texts.privacyPolicyUrl ? (
							<span
								className="consentry-preview__link"
								style={ { color: colors.text } }
							>
								{ texts.privacyPolicyLabel }
							</span>
						) : null }
					</p>
					<div className="consentry-preview__buttons">
						<span
							className="consentry-preview__button"
							style={ buttonStyle }
						>
							{ texts.acceptAll }
						</span>
						<span
							className="consentry-preview__button"
							style={ buttonStyle }
						>
							{ texts.rejectAll }
						</span>
						<span
							className="consentry-preview__button"
							style={ buttonStyle }
						>
							{ texts.customize }
						</span>
					</div>
				</div>
				{ config.floatingButton !== false ? (
					<span
						className="consentry-preview__floating"
						style={ buttonStyle }
					>
						{ texts.settings }
					</span>
				) : null }
			</div>
		</figure>
	);
}
