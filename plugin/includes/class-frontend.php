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
 * caches keep working; every decision is the banner's, in the browser):
 * the banner config as JSON, the tiny head script (Consent Mode defaults and
 * the guard against injected trackers), then the deferred banner bundle.
 */
final class Frontend {

	public const CONFIG_ID     = 'consentry-config';
	public const HEAD_ID       = 'consentry-head';
	public const BANNER_HANDLE = 'consentry-banner';

	/**
	 * Whether the banner can run on this request: linked, a config at hand, and the bundle built.
	 */
	public static function is_active(): bool {
		static $active = null;
		if ( null === $active ) {
			$active = Settings::has_site()
				&& is_readable( CONSENTRY_DIR . 'build/banner/head.js' )
				&& is_readable( CONSENTRY_DIR . 'build/banner/banner.js' )
				&& null !== Banner_Config::json();
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
		if ( Settings::get( 'direct_to_service' ) ) {
			$base      = Settings::service_url() . Service_Client::API_PREFIX;
			$endpoints = array(
				'consent'   => $base . '/consent/log',
				'heartbeat' => $base . '/heartbeat',
			);
		} else {
			// The REST_BASE of Rest\Consent_Controller and Rest\Heartbeat_Controller, written
			// out so pages do not load the REST classes.
			$endpoints = array(
				'consent'   => rest_url( CONSENTRY_REST_NAMESPACE . '/consent' ),
				'heartbeat' => rest_url( CONSENTRY_REST_NAMESPACE . '/heartbeat' ),
			);
		}
		$config->endpoints = (object) $endpoints;
		/**
		 * Filters the config printed for the banner (an object: JSON objects stay
		 * objects). Must stay the same for every visitor.
		 *
		 * @param object $config BannerBootConfig.
		 */
		return apply_filters( 'consentry_banner_boot_config', $config );
	}

	/**
	 * Prints the config and the head script (wp_head, priority 1: before any tag).
	 */
	public static function print_boot(): void {
		if ( ! self::is_active() ) {
			return;
		}
		$config = self::boot_config();
		if ( null === $config ) {
			return;
		}
		$head = (string) file_get_contents( CONSENTRY_DIR . 'build/banner/head.js' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- local file.
		// JSON_HEX_TAG keeps "</script>" in admin texts from closing the tag.
		$json = wp_json_encode( $config, JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		wp_print_inline_script_tag(
			(string) $json,
			array(
				'id'   => self::CONFIG_ID,
				'type' => 'application/json',
			)
		);
		wp_print_inline_script_tag( trim( $head ), array( 'id' => self::HEAD_ID ) );
	}

	/**
	 * Enqueues the bundle in <head> with `defer`: fetched early, never blocks rendering.
	 */
	public static function enqueue_banner(): void {
		if ( ! self::is_active() ) {
			return;
		}
		$dir     = CONSENTRY_DIR . 'build/banner/';
		$version = CONSENTRY_VERSION . '.' . (string) filemtime( $dir . 'banner.js' );
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
		if ( is_readable( $dir . 'banner.css' ) ) {
			wp_enqueue_style( self::BANNER_HANDLE, CONSENTRY_URL . 'build/banner/banner.css', array(), $version );
		}
	}
}
