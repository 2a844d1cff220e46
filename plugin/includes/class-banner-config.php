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
 */
final class Banner_Config {

	public const TRANSIENT         = 'consentry_banner_config';
	public const OPTION_LAST_GOOD  = 'consentry_banner_config_last';
	public const MAX_AGE           = 5 * MINUTE_IN_SECONDS;
	public const RETRY_AFTER       = MINUTE_IN_SECONDS;
	private const FETCH_TIMEOUT    = 2;
	private const UNAVAILABLE_MARK = array( 'unavailable' => true );

	/**
	 * The config, from the cache when fresh, else fetched (falling back to the last good copy).
	 *
	 * @return array<string, mixed>|null
	 */
	public static function get(): ?array {
		if ( ! Settings::is_connected() ) {
			return null;
		}
		$cached = get_transient( self::TRANSIENT );
		if ( is_array( $cached ) ) {
			return self::is_config( $cached ) ? $cached : null;
		}
		return self::refresh();
	}

	/**
	 * Fetches a fresh copy now. On failure keeps serving the last good copy,
	 * and waits a minute before asking again so a down service does not slow every page.
	 *
	 * @return array<string, mixed>|null
	 */
	public static function refresh(): ?array {
		if ( ! Settings::is_connected() ) {
			self::clear();
			return null;
		}
		$client = new Service_Client( Settings::service_url() );
		$fresh  = $client->request(
			'GET',
			'/banner/' . rawurlencode( Settings::public_key() ),
			null,
			array(),
			array( 'timeout' => self::FETCH_TIMEOUT )
		);
		if ( ! is_wp_error( $fresh ) && self::is_config( $fresh ) ) {
			set_transient( self::TRANSIENT, $fresh, self::MAX_AGE );
			update_option( self::OPTION_LAST_GOOD, $fresh, false );
			return $fresh;
		}
		$last = get_option( self::OPTION_LAST_GOOD );
		$last = is_array( $last ) && self::is_config( $last ) && ( $last['publicKey'] ?? '' ) === Settings::public_key() ? $last : null;
		set_transient( self::TRANSIENT, $last ?? self::UNAVAILABLE_MARK, self::RETRY_AFTER );
		return $last;
	}

	/**
	 * Forgets every copy (disconnect).
	 */
	public static function clear(): void {
		delete_transient( self::TRANSIENT );
		delete_option( self::OPTION_LAST_GOOD );
	}

	/**
	 * Whether a value looks like a BannerConfigResponse.
	 *
	 * @param array<string, mixed> $value Candidate.
	 */
	private static function is_config( array $value ): bool {
		return isset( $value['publicKey'], $value['categories'] ) && is_array( $value['categories'] );
	}
}
