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
 * Consentry registers with the WP Consent API (Plugin hooks
 * `wp_consent_api_registered_consentry/consentry.php`) and declares opt-in consent, so
 * plugins asking `wp_has_consent()` wait for the visitor's choice. The banner
 * sets the per-category consent in the browser (`wp_set_consent`, or the
 * `wp_consent_<category>` cookies the API reads).
 */
final class Consent_Api_Bridge {

	public const CONSENT_TYPE = 'optin';

	/**
	 * Opt-in: nothing optional before the visitor agrees.
	 *
	 * @param string|false $type Type other code set.
	 * @return string
	 */
	public static function consent_type( $type ) {
		return Settings::has_site() ? self::CONSENT_TYPE : $type;
	}
}
