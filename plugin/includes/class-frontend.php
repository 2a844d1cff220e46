<?php
/**
 * What the plugin adds to front-end pages: the banner boot.
 *
 * @package Consentry
 */

namespace Consentry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Prints, first thing in <head> and identical for every visitor (full-page
 * caches keep working; every decision is the banner's, in the browser; only
 * the built-in texts of the page's language are added where it is not English):
 * the banner config as JSON, the tiny head script (Consent Mode defaults and
 * the guard against injected trackers), then the deferred banner bundle.
 */
final class Frontend {

	public const CONFIG_ID     = 'consentry-config';
	public const HEAD_ID       = 'consentry-head';
	public const BANNER_HANDLE = 'consentry-banner';

	/**
	 * How the config is encoded into the page. JSON_HEX_TAG keeps "</script>" in
	 * admin texts from closing the tag.
	 */
	public const JSON_FLAGS = JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;

	/**
	 * The built banner files, read from disk: `head` (the head script, trimmed, or
	 * null when it is missing), `banner` (the bundle's version, or null when it is
	 * missing), `css` (whether a stylesheet was built). Pages take them from the
	 * cached config (Banner_Config::page()), read once when it was stored.
	 *
	 * @return array{head: string|null, banner: string|null, css: bool}
	 */
	public static function read_assets(): array {
		$dir  = CONSENTRY_DIR . 'build/banner/';
		$head = is_readable( $dir . 'head.js' ) ? file_get_contents( $dir . 'head.js' ) : false; // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- local file.
		$ok   = is_readable( $dir . 'banner.js' );
		return array(
			'head'   => is_string( $head ) ? trim( $head ) : null,
			'banner' => $ok ? CONSENTRY_VERSION . '.' . (string) filemtime( $dir . 'banner.js' ) : null,
			'css'    => is_readable( $dir . 'banner.css' ),
		);
	}

	/**
	 * The built banner files (see `read_assets()`): from the cached config, or from disk.
	 *
	 * @return array{head: string|null, banner: string|null, css: bool}
	 */
	private static function assets(): array {
		static $assets = null;
		if ( null === $assets ) {
			$page   = Banner_Config::page();
			$assets = null === $page ? self::read_assets() : array(
				'head'   => $page['head'],
				'banner' => $page['banner'],
				'css'    => $page['css'],
			);
		}
		return $assets;
	}

	/**
	 * Whether the banner can run on this request: linked, a config at hand, and the bundle built.
	 */
	public static function is_active(): bool {
		static $active = null;
		if ( null === $active ) {
			$active = Settings::has_site()
				&& null !== Banner_Config::json()
				&& null !== self::assets()['head']
				&& null !== self::assets()['banner'];
		}
		return $active;
	}

	/**
	 * The config the banner reads: BannerConfigResponse plus where to send choices and pageviews.
	 */
	public static function boot_config(): ?object {
		$json   = Banner_Config::json();
		$config = null === $json ? null : json_decode( $json );
		if ( ! is_object( $config ) ) {
			return null;
		}
		$config->endpoints = (object) self::endpoints();
		$texts             = self::built_in_texts( isset( $config->config->defaultLanguage ) && is_string( $config->config->defaultLanguage ) ? $config->config->defaultLanguage : 'en' );
		if ( $texts ) {
			$config->{'builtInTexts'} = (object) $texts;
		}
		/**
		 * Filters the config printed for the banner (an object: JSON objects stay
		 * objects). Must stay the same for every visitor.
		 *
		 * @param object $config BannerBootConfig.
		 */
		return apply_filters( 'consentry_banner_boot_config', $config );
	}

	/**
	 * The printed config as JSON text, or null. Without a `consentry_banner_boot_config`
	 * filter, the cached config's prepared text plus the endpoints: the same text
	 * as encoding boot_config(), without decoding and encoding the config.
	 */
	public static function boot_json(): ?string {
		$page = Banner_Config::page();
		if ( null !== $page && is_string( $page['boot'] ) && is_string( $page['default_language'] ?? null ) && ! has_filter( 'consentry_banner_boot_config' ) ) {
			$texts = self::built_in_texts( $page['default_language'] );
			return $page['boot'] . wp_json_encode( (object) self::endpoints(), self::JSON_FLAGS )
				. ( $texts ? ',"builtInTexts":' . wp_json_encode( (object) $texts, self::JSON_FLAGS ) : '' ) . '}';
		}
		$config = self::boot_config();
		if ( null === $config ) {
			return null;
		}
		$json = wp_json_encode( $config, self::JSON_FLAGS );
		return is_string( $json ) ? $json : '';
	}

	/**
	 * The banner's built-in texts this page needs, by language (the bundle holds English only): those of the
	 * page's language (what `<html lang>` says) when there are any, else, on a page in a language without them,
	 * those of the site's default language (the banner's fallback). Empty when that language is English.
	 *
	 * @param string $default_language The site's default language (`config.defaultLanguage`).
	 * @return array<string, array<string, string>>
	 */
	public static function built_in_texts( string $default_language ): array {
		$primary = static fn( string $tag ): string => strtolower( explode( '-', str_replace( '_', '-', $tag ) )[0] );
		$lang    = $primary( (string) get_bloginfo( 'language' ) );
		// English pages never load the Schema class for this.
		if ( 'en' !== $lang && ! isset( Schema::BANNER_TEXTS[ $lang ] ) ) {
			$lang = $primary( $default_language );
		}
		return 'en' !== $lang && isset( Schema::BANNER_TEXTS[ $lang ] ) ? array( $lang => Schema::BANNER_TEXTS[ $lang ] ) : array();
	}

	/**
	 * Where the banner sends choices and pageviews, and where its display-preferences widget is (the Connection screen's Check calls the two record routes too).
	 *
	 * @return array<string, string>
	 */
	public static function endpoints(): array {
		if ( Settings::get( 'direct_to_service' ) ) {
			$base      = Settings::service_url() . Service_Client::API_PREFIX;
			$endpoints = array(
				'consent'      => $base . '/consent/log',
				'heartbeat'    => $base . '/heartbeat',
				'displayUsage' => $base . '/banner/' . rawurlencode( Settings::public_key() ) . '/display-usage',
			);
		} else {
			// The REST_BASE of Rest\Consent_Controller, Rest\Heartbeat_Controller and
			// Rest\Display_Controller, written out so pages do not load the REST classes.
			$endpoints = array(
				'consent'      => rest_url( CONSENTRY_REST_NAMESPACE . '/consent' ),
				'heartbeat'    => rest_url( CONSENTRY_REST_NAMESPACE . '/heartbeat' ),
				'displayUsage' => rest_url( CONSENTRY_REST_NAMESPACE . '/display-usage' ),
			);
		}

		// Not a record target: the display-preferences widget, which the banner loads when a visitor opens it.
		$endpoints['displayScript'] = CONSENTRY_URL . 'build/display/display.js?ver=' . rawurlencode( (string) self::assets()['banner'] );
		return $endpoints;
	}

	/**
	 * Prints the config and the head script (wp_head, priority 1: before any tag).
	 */
	public static function print_boot(): void {
		if ( ! self::is_active() ) {
			return;
		}
		$json = self::boot_json();
		if ( null === $json ) {
			return;
		}
		wp_print_inline_script_tag(
			$json,
			array(
				'id'   => self::CONFIG_ID,
				'type' => 'application/json',
			)
		);
		wp_print_inline_script_tag( (string) self::assets()['head'], array( 'id' => self::HEAD_ID ) );
	}

	/**
	 * Enqueues the bundle in <head> with `defer`: fetched early, never blocks rendering.
	 */
	public static function enqueue_banner(): void {
		if ( ! self::is_active() ) {
			return;
		}
		$assets  = self::assets();
		$version = (string) $assets['banner'];
		wp_enqueue_script(
			self::BANNER_HANDLE,
			CONSENTRY_URL . 'build/banner/banner.js',
			array(),
			$version,
			array(
				'strategy'  => 'defer',
				'in_footer' => false,
			)
		);
		if ( $assets['css'] ) {
			wp_enqueue_style( self::BANNER_HANDLE, CONSENTRY_URL . 'build/banner/banner.css', array(), $version );
		}
	}
}
