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
 *
 * The transient is stored without a WordPress expiry, with its own `expires`
 * time inside: WordPress autoloads such transients, so a page reads the config
 * without a database query (an expiring transient costs two queries a page).
 */
final class Banner_Config {

	public const TRANSIENT        = 'consentry_banner_config';
	public const OPTION_LAST_GOOD = 'consentry_banner_config_last';
	public const MAX_AGE          = 5 * MINUTE_IN_SECONDS;
	public const RETRY_AFTER      = MINUTE_IN_SECONDS;
	private const FETCH_TIMEOUT   = 2;

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
			if ( Settings::has_site() ) {
				// Only this class writes the transient: {json: checked copy or '', expires}.
				$cached = get_transient( self::TRANSIENT );
				if ( ! is_array( $cached ) || ! is_string( $cached['json'] ?? null ) ) {
					self::$json = (string) self::refresh();
				} else {
					self::$json = $cached['json'];
					if ( ( $cached['expires'] ?? 0 ) <= time() ) {
						// Stale: this page uses the copy it has; the new one is fetched once the
						// page is out (shutdown), and the retry time keeps other pages from doing the same.
						self::store( $cached['json'], self::RETRY_AFTER );
						add_action( 'shutdown', array( self::class, 'refresh' ), 100 );
					}
				}
			}
		}
		return '' === self::$json ? null : self::$json;
	}

	/**
	 * Fetches a fresh copy now (after admin changes; for pages, only when there is
	 * no copy at all). On failure keeps serving the last good copy, and waits a
	 * minute before asking again.
	 */
	public static function refresh(): ?string {
		self::$json = null;
		if ( ! Settings::has_site() ) {
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
			self::store( $fresh, self::MAX_AGE );
			update_option( self::OPTION_LAST_GOOD, $fresh, false );
			return $fresh;
		}
		$last = get_option( self::OPTION_LAST_GOOD );
		$last = is_string( $last ) && self::is_config( $last ) ? $last : null;
		self::store( $last ?? '', self::RETRY_AFTER );
		return $last;
	}

	/**
	 * Keeps a copy ('' for none) for `$seconds`.
	 *
	 * @param string $json    Config JSON text, or ''.
	 * @param int    $seconds Time to keep it.
	 */
	private static function store( string $json, int $seconds ): void {
		if ( false !== get_option( '_transient_timeout_' . self::TRANSIENT ) ) {
			// A copy saved with a WordPress expiry (not autoloaded) is replaced, not updated.
			delete_transient( self::TRANSIENT );
		}
		set_transient(
			self::TRANSIENT,
			array(
				'json'    => $json,
				'expires' => time() + $seconds,
			)
		);
		self::$json = $json;
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
