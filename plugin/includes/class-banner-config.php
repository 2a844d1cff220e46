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
 *
 * Next to the JSON the transient keeps what pages would otherwise rebuild on
 * every request, made once when a copy is stored (`page()`): the banner config
 * encoded as printed (less its per-request endpoints), the server-side
 * blocking rules resolved to the site's categories with their signature
 * pattern, the head script's text and the bundle's version. It belongs to
 * this plugin version and its build: another version makes it again.
 */
final class Banner_Config {

	public const TRANSIENT        = 'consentry_banner_config';
	public const OPTION_LAST_GOOD = 'consentry_banner_config_last';
	public const OPTION_FETCHED   = 'consentry_banner_config_fetched';
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
	 * This request's prepared page data (see `page()`), false when there is none.
	 *
	 * @var array<string, mixed>|false|null
	 */
	private static $page = null;

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
					$page       = $cached['page'] ?? null;
					self::$page = is_array( $page ) && CONSENTRY_VERSION === ( $page['version'] ?? null ) && '' !== $cached['json'] ? $page : false;
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
		self::$page = null;
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
			// When the last good copy arrived (Site Health tells its age).
			update_option( self::OPTION_FETCHED, time(), false );
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
		$page = '' === $json ? false : self::prepare_page( $json );
		set_transient(
			self::TRANSIENT,
			array(
				'json'    => $json,
				'expires' => time() + $seconds,
				'page'    => $page,
			)
		);
		self::$json = $json;
		self::$page = $page;
	}

	/**
	 * What pages print and use, prepared from the config (see `page()`).
	 *
	 * @param string $json Config JSON text (checked).
	 * @return array<string, mixed>
	 */
	private static function prepare_page( string $json ): array {
		$config = json_decode( $json );
		$boot   = null;
		if ( is_object( $config ) && ! property_exists( $config, 'endpoints' ) ) {
			// The boot config is this object with `endpoints` added last: its text, less the
			// closing brace, with the key written (Frontend::print_boot() adds the rest).
			$encoded = wp_json_encode( $config, Frontend::JSON_FLAGS );
			if ( is_string( $encoded ) && str_ends_with( $encoded, '}' ) ) {
				$boot = substr( $encoded, 0, -1 ) . ( '{}' === $encoded ? '' : ',' ) . '"endpoints":';
			}
		}
		$array    = (array) json_decode( $json, true );
		$blocking = Server_Blocking::compile(
			Server_Blocking::resolve_rules(
				Server_Blocking::default_rules( $array ),
				is_array( $array['categories'] ?? null ) ? $array['categories'] : array()
			)
		);

		$assets   = Frontend::read_assets();
		$language = $array['config']['defaultLanguage'] ?? 'en';
		return array(
			'version'          => CONSENTRY_VERSION,
			'boot'             => $boot,
			'default_language' => is_string( $language ) ? $language : 'en',
			'blocking'         => $blocking,
			'head'             => $assets['head'],
			'banner'           => $assets['banner'],
			'css'              => $assets['css'],
		);
	}

	/**
	 * This request's prepared page data, made when the copy in use was stored:
	 * `boot` (the printed config's text up to its endpoints, or null),
	 * `default_language` (the site's, for the built-in texts pages print), `blocking`
	 * (Server_Blocking::compile() of the built-in and the admin's rules, before
	 * the `consentry_blocking_rules` filter), `head` (the head script, trimmed,
	 * or null when missing), `banner` (the bundle's version, or null when
	 * missing), `css` (whether the bundle has a stylesheet). Null when there is
	 * none for the copy in use (then callers work it out as before).
	 *
	 * @return array<string, mixed>|null
	 */
	public static function page(): ?array {
		if ( null === self::json() || ! is_array( self::$page ) ) {
			return null;
		}
		return self::$page;
	}

	/**
	 * Forgets every copy (disconnect, new connection).
	 */
	public static function clear(): void {
		self::$json = null;
		self::$page = null;
		delete_transient( self::TRANSIENT );
		delete_option( self::OPTION_LAST_GOOD );
		delete_option( self::OPTION_FETCHED );
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
