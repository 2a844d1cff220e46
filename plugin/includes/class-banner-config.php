<?php
/**
 * The cached banner configuration.
 *
 * @package Consentry
 */

namespace Consentry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Keeps the linked site's BannerConfigResponse in a transient (at most five
 * minutes old, refreshed after every admin change) so pages print it without a
 * request to the service. The last good copy also lives in an option: when the
 * service is down visitors still get their banner.
 *
 * Both hold the service's JSON text, not a PHP array: printed again, `{}`
 * stays an object (a decoded-then-encoded empty object would become `[]`).
 */
final class Banner_Config {

	public const TRANSIENT        = 'consentry_banner_config';
	public const OPTION_LAST_GOOD = 'consentry_banner_config_last';
	public const MAX_AGE          = 5 * MINUTE_IN_SECONDS;
	public const RETRY_AFTER      = MINUTE_IN_SECONDS;
	private const FETCH_TIMEOUT   = 2;
	private const UNAVAILABLE     = 'unavailable';

	/**
	 * This request's copy: JSON text, '' for none, null before the first look.
	 *
	 * @var string|null
	 */
	private static ?string $json = null;

	/**
	 * The config as an array (BannerConfigResponse), or null.
	 *
	 * @return array<string, mixed>|null
	 */
	public static function get(): ?array {
		$json = self::json();
		return null === $json ? null : (array) json_decode( $json, true );
	}

	/**
	 * The config as the service wrote it (JSON text), or null.
	 */
	public static function json(): ?string {
		if ( null === self::$json ) {
			self::$json = '';
			if ( Settings::is_connected() ) {
				// Only this class writes the transient, with a checked copy or the marker.
				$cached     = get_transient( self::TRANSIENT );
				self::$json = is_string( $cached ) ? ( self::UNAVAILABLE === $cached ? '' : $cached ) : (string) self::refresh();
			}
		}
		return '' === self::$json ? null : self::$json;
	}

	/**
	 * Fetches a fresh copy now. On failure keeps serving the last good copy,
	 * and waits a minute before asking again so a down service does not slow every page.
	 */
	public static function refresh(): ?string {
		self::$json = null;
		if ( ! Settings::is_connected() ) {
			self::clear();
			return null;
		}
		$client = new Service_Client( Settings::service_url() );
		$fresh  = $client->request_text(
			'GET',
			'/banner/' . rawurlencode( Settings::public_key() ),
			null,
			array(),
			array( 'timeout' => self::FETCH_TIMEOUT )
		);
		if ( is_string( $fresh ) && self::is_config( $fresh ) ) {
			set_transient( self::TRANSIENT, $fresh, self::MAX_AGE );
			update_option( self::OPTION_LAST_GOOD, $fresh, false );
			self::$json = $fresh;
			return $fresh;
		}
		$last = get_option( self::OPTION_LAST_GOOD );
		$last = is_string( $last ) && self::is_config( $last ) ? $last : null;
		set_transient( self::TRANSIENT, $last ?? self::UNAVAILABLE, self::RETRY_AFTER );
		self::$json = $last ?? '';
		return $last;
	}

	/**
	 * Forgets every copy (disconnect, new connection).
	 */
	public static function clear(): void {
		self::$json = null;
		delete_transient( self::TRANSIENT );
		delete_option( self::OPTION_LAST_GOOD );
	}

	/**
	 * Whether a text is a BannerConfigResponse of the linked site.
	 *
	 * @param string $json Candidate.
	 */
	private static function is_config( string $json ): bool {
		$value = json_decode( $json, true );
		return is_array( $value )
			&& isset( $value['publicKey'], $value['categories'] )
			&& is_array( $value['categories'] )
			&& Settings::public_key() === $value['publicKey'];
	}
}
