<?php
/**
 * Plugin Name: Consentry e2e — WP Consent API stand-in and probe
 * Description: Test only. Loaded into the end-to-end WordPress by tests/e2e/global-setup.ts, never shipped.
 *
 * The end-to-end WordPress runs offline (npm and Debian only), so the real
 * WP Consent API plugin from wordpress.org (`wp-consent-api`) cannot be
 * installed there, and its code is not copied into this repository. This file
 * stands in for its server-side PHP contract, written from the API's
 * documentation, and only when the real plugin has not defined it
 * (`function_exists( 'wp_has_consent' )`):
 *
 *   wp_get_consent_type()      the filter `wp_get_consent_type` (default false:
 *                              no consent management plugin has declared one).
 *   wp_has_consent( $category ) categories functional, preferences, statistics,
 *                              statistics-anonymous, marketing. No consent type
 *                              → true (nobody manages consent). `functional` →
 *                              always true. Consent type `optin` → true only
 *                              when the cookie `wp_consent_<category>` is
 *                              `allow`. Consent type `optout` → true unless the
 *                              cookie says `deny`. The result goes through the
 *                              filter `wp_has_consent`, as in the real API.
 *   consent_api_registered( $plugin ) the filter
 *                              `wp_consent_api_registered_<plugin basename>`
 *                              (default false).
 *
 * Not covered (the tests do not need it): the real plugin's JavaScript
 * (`wp_set_consent` in the browser), its cookie prefix filter and expiry
 * settings, and its admin notices. When the real plugin is active its own
 * functions are used and this file only adds the probe.
 *
 * The probe: GET /?consentry_probe=consent-api answers JSON with what the
 * API says for the request's cookies:
 *   { api, type, registered, functional, preferences, statistics,
 *     statistics-anonymous, marketing }
 *
 * @package Consentry
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

if ( ! function_exists( 'wp_has_consent' ) ) {

	/**
	 * The consent type a consent management plugin declared: optin, optout, or false.
	 *
	 * @return string|false
	 */
	function wp_get_consent_type() {
		return apply_filters( 'wp_get_consent_type', false );
	}

	/**
	 * Whether the visitor consented to a category, read from the `wp_consent_<category>` cookie.
	 *
	 * @param string      $category     functional, preferences, statistics, statistics-anonymous or marketing.
	 * @param string|bool $requested_by Plugin asking (passed to the filter).
	 * @return bool
	 */
	function wp_has_consent( $category, $requested_by = false ) {
		$type   = wp_get_consent_type();
		$cookie = isset( $_COOKIE[ 'wp_consent_' . $category ] ) ? sanitize_text_field( wp_unslash( $_COOKIE[ 'wp_consent_' . $category ] ) ) : null;
		if ( ! $type ) {
			// No consent management: everything goes, as in the real API.
			$has = true;
		} elseif ( 'functional' === $category ) {
			$has = true;
		} elseif ( false !== strpos( $type, 'optout' ) ) {
			$has = 'deny' !== $cookie;
		} else {
			$has = 'allow' === $cookie;
		}
		return (bool) apply_filters( 'wp_has_consent', $has, $category, $requested_by );
	}
}

if ( ! function_exists( 'consent_api_registered' ) ) {

	/**
	 * Whether a plugin declared that it follows the Consent API.
	 *
	 * @param string $plugin Plugin basename, e.g. consentry/consentry.php.
	 * @return bool
	 */
	function consent_api_registered( $plugin ) {
		return (bool) apply_filters( "wp_consent_api_registered_{$plugin}", false );
	}
}

add_action(
	'init',
	static function () {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only test probe.
		if ( ! isset( $_GET['consentry_probe'] ) || 'consent-api' !== $_GET['consentry_probe'] ) {
			return;
		}
		$answer = array(
			'api'        => defined( 'WP_CONSENT_API_VERSION' ) || class_exists( 'WP_CONSENT_API' ) ? 'wordpress.org' : 'standin',
			'type'       => wp_get_consent_type(),
			'registered' => consent_api_registered( 'consentry/consentry.php' ),
		);
		foreach ( array( 'functional', 'preferences', 'statistics', 'statistics-anonymous', 'marketing' ) as $category ) {
			$answer[ $category ] = wp_has_consent( $category, 'consentry-e2e' );
		}
		nocache_headers();
		wp_send_json( $answer );
	},
	PHP_INT_MAX
);
