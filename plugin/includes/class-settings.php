<?php
/**
 * The plugin's options: the link to the service, and its own settings.
 *
 * @package Consentry
 */

namespace Consentry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Reads and writes the `consentry_*` options. The secret key only ever leaves
 * this class towards the service, never towards a browser: callers that show
 * it get `secret_key_hint()`.
 */
final class Settings {

	public const OPTION_SERVICE_URL = 'consentry_service_url';
	public const OPTION_SECRET_KEY  = 'consentry_secret_key';
	public const OPTION_SITE_ID     = 'consentry_site_id';
	public const OPTION_PUBLIC_KEY  = 'consentry_public_key';
	public const OPTION_SETTINGS    = 'consentry_settings';

	/**
	 * Every option the plugin owns (uninstall removes them, plus the banner cache).
	 */
	public const ALL_OPTIONS = array(
		self::OPTION_SERVICE_URL,
		self::OPTION_SECRET_KEY,
		self::OPTION_SITE_ID,
		self::OPTION_PUBLIC_KEY,
		self::OPTION_SETTINGS,
		Banner_Config::OPTION_LAST_GOOD,
		Banner_Config::OPTION_FETCHED,
		Cookie_Declaration::OPTION,
	);

	/**
	 * Defaults of `consentry_settings`.
	 */
	public const DEFAULTS = array(
		// Rewrite well-known tracker tags into their blocked form on the server.
		'server_blocking'          => true,
		// The banner posts to the service directly (its URL must be public) instead of through this site.
		'direct_to_service'        => false,
		// Consent records one visitor may send per minute through this site (heartbeats: twice that); 0 = no limit.
		'visitor_rate_limit'       => 60,
		// Bump the policy version (visitors are asked again) when new reviewed items join the cookie declaration.
		'bump_policy_on_new_items' => false,
	);

	/**
	 * Largest accepted `visitor_rate_limit`.
	 */
	public const MAX_RATE_LIMIT = 100000;

	/**
	 * Registers the settings option with its schema (on `init`): administrators
	 * read and change it through /wp/v2/settings.
	 */
	public static function register_setting(): void {
		register_setting(
			'options',
			self::OPTION_SETTINGS,
			array(
				'type'              => 'object',
				'default'           => self::DEFAULTS,
				'sanitize_callback' => array( self::class, 'sanitize_settings' ),
				'show_in_rest'      => array(
					'name'   => 'consentry_settings',
					'schema' => array(
						'type'                 => 'object',
						'additionalProperties' => false,
						'properties'           => array(
							'server_blocking'          => array( 'type' => 'boolean' ),
							'direct_to_service'        => array( 'type' => 'boolean' ),
							'bump_policy_on_new_items' => array( 'type' => 'boolean' ),
							'visitor_rate_limit'       => array(
								'type'    => 'integer',
								'minimum' => 0,
								'maximum' => self::MAX_RATE_LIMIT,
							),
						),
					),
				),
			)
		);
	}

	/**
	 * Keeps only known keys, typed like their defaults; keys not sent keep their current value.
	 *
	 * @param mixed $value Submitted value.
	 * @return array<string, bool|int>
	 */
	public static function sanitize_settings( $value ): array {
		$value   = is_array( $value ) ? $value : array();
		$current = self::settings();
		$clean   = array();
		foreach ( self::DEFAULTS as $key => $default ) {
			$given         = array_key_exists( $key, $value ) ? $value[ $key ] : ( $current[ $key ] ?? $default );
			$clean[ $key ] = is_bool( $default )
				? (bool) rest_sanitize_boolean( $given )
				: min( self::MAX_RATE_LIMIT, absint( $given ) );
		}
		return $clean;
	}

	/**
	 * The settings with defaults filled in.
	 *
	 * @return array<string, bool|int>
	 */
	public static function settings(): array {
		$stored = get_option( self::OPTION_SETTINGS );
		if ( false === $stored ) {
			// Stored once, autoloaded: a missing option costs a database query on every page.
			add_option( self::OPTION_SETTINGS, self::DEFAULTS, '', true );
			$stored = self::DEFAULTS;
		}
		return array_merge( self::DEFAULTS, is_array( $stored ) ? array_intersect_key( $stored, self::DEFAULTS ) : array() );
	}

	/**
	 * One on/off setting.
	 *
	 * @param string $key Setting name.
	 */
	public static function get( string $key ): bool {
		return (bool) ( self::settings()[ $key ] ?? false );
	}

	/**
	 * One number setting.
	 *
	 * @param string $key Setting name.
	 */
	public static function get_int( string $key ): int {
		return (int) ( self::settings()[ $key ] ?? 0 );
	}

	/**
	 * Service base URL without a trailing slash (and without `/api/v1`).
	 */
	public static function service_url(): string {
		return (string) get_option( self::OPTION_SERVICE_URL, '' );
	}

	/**
	 * The secret key. Server side only.
	 */
	public static function secret_key(): string {
		return (string) get_option( self::OPTION_SECRET_KEY, '' );
	}

	/**
	 * What the admin may see of the secret key: `ck_…abcd`, or null when none is stored.
	 */
	public static function secret_key_hint(): ?string {
		$key = self::secret_key();
		if ( '' === $key ) {
			return null;
		}
		$prefix = str_starts_with( $key, 'ck_test_' ) ? 'ck_test_' : substr( $key, 0, 3 );
		return $prefix . '…' . substr( $key, -4 );
	}

	/**
	 * Id of the linked service site.
	 */
	public static function site_id(): string {
		return (string) get_option( self::OPTION_SITE_ID, '' );
	}

	/**
	 * Public key (`pk_…`) of the linked site; printed into every page.
	 */
	public static function public_key(): string {
		return (string) get_option( self::OPTION_PUBLIC_KEY, '' );
	}

	/**
	 * Whether the site is linked to a service site (the secret key is there too).
	 */
	public static function is_connected(): bool {
		return self::has_site() && '' !== self::secret_key();
	}

	/**
	 * Whether a linked site is known: what pages need. Reads only autoloaded
	 * options (the secret key is not, and pages never need it).
	 */
	public static function has_site(): bool {
		return '' !== self::service_url() && '' !== self::site_id() && '' !== self::public_key();
	}

	/**
	 * This WordPress site's host as the service names it: host, plus `:port` when not the default one.
	 */
	public static function site_domain(): string {
		$parts = wp_parse_url( home_url() );
		$host  = strtolower( (string) ( $parts['host'] ?? 'localhost' ) );
		return isset( $parts['port'] ) ? $host . ':' . (int) $parts['port'] : $host;
	}

	/**
	 * The connection as the admin app sees it. Never contains the secret key.
	 *
	 * @return array<string, mixed>
	 */
	public static function connection(): array {
		$connected = self::is_connected();
		return array(
			'connected'     => $connected,
			'serviceUrl'    => self::service_url(),
			'siteId'        => $connected ? self::site_id() : null,
			'publicKey'     => $connected ? self::public_key() : null,
			'secretKeyHint' => self::secret_key_hint(),
			'siteDomain'    => self::site_domain(),
		);
	}

	/**
	 * Normalises a service URL: no trailing slash, no `/api/v1` suffix.
	 *
	 * @param string $url URL as typed.
	 */
	public static function normalize_service_url( string $url ): string {
		$url = untrailingslashit( trim( $url ) );
		return (string) preg_replace( '#/api/v1$#', '', $url );
	}

	/**
	 * Stores a working link.
	 *
	 * @param string $service_url Service base URL.
	 * @param string $secret_key  Secret key.
	 * @param string $site_id     Linked site id.
	 * @param string $public_key  The site's public key.
	 */
	public static function save_connection( string $service_url, string $secret_key, string $site_id, string $public_key ): void {
		update_option( self::OPTION_SERVICE_URL, self::normalize_service_url( $service_url ), true );
		// Not autoloaded: only admin requests need it.
		update_option( self::OPTION_SECRET_KEY, $secret_key, false );
		update_option( self::OPTION_SITE_ID, $site_id, true );
		update_option( self::OPTION_PUBLIC_KEY, $public_key, true );
	}

	/**
	 * Stores a new public key (after a rotation seen in a site response).
	 *
	 * @param string $public_key Public key.
	 */
	public static function save_public_key( string $public_key ): void {
		update_option( self::OPTION_PUBLIC_KEY, $public_key, true );
	}

	/**
	 * Forgets the link; keeps the service URL so reconnecting is one field.
	 */
	public static function disconnect(): void {
		delete_option( self::OPTION_SECRET_KEY );
		delete_option( self::OPTION_SITE_ID );
		delete_option( self::OPTION_PUBLIC_KEY );
	}
}
