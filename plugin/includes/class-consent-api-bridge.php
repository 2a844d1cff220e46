<?php
/**
 * The WP Consent API, server side.
 *
 * @package Consentry
 */

namespace Consentry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Registers Consentry with the WP Consent API and declares opt-in consent, so
 * plugins asking `wp_has_consent()` wait for the visitor's choice. The banner
 * sets the per-category consent in the browser (`wp_set_consent`, or the
 * `wp_consent_<category>` cookies the API reads).
 */
final class Consent_Api_Bridge {

	public const CONSENT_TYPE = 'optin';

	/**
	 * Adds the hooks.
	 */
	public function register(): void {
		add_filter( 'wp_consent_api_registered_' . plugin_basename( CONSENTRY_FILE ), '__return_true' );
		add_filter( 'wp_get_consent_type', array( $this, 'consent_type' ) );
	}

	/**
	 * Opt-in: nothing optional before the visitor agrees.
	 *
	 * @param string|false $type Type other code set.
	 * @return string
	 */
	public function consent_type( $type ) {
		return Settings::is_connected() ? self::CONSENT_TYPE : $type;
	}
}
