<?php
/**
 * The Connection screen's guided set-up: this host's facts, and the Check.
 *
 * @package Consentry
 */

namespace Consentry;

use WP_Error;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * `facts()` tells the admin app what it needs to write this host's set-up
 * commands and systemd unit: the bundle's path inside this WordPress, the Node.js
 * version it needs (read from the bundle itself), the systemd unit shipped
 * beside it, and where visitors' banners send their choices. Nothing secret.
 *
 * `check()` runs, from PHP, the steps of the Check that WordPress can run: the
 * service answers, it accepts the stored key, the linked site is there and is
 * this site, and pages have a fresh banner configuration. The first and the
 * last are Site Health's own findings (Site_Health). The admin's browser runs
 * the last step, the visitor route, itself. The shape is
 * ConnectionCheckSchema of src/shared/schemas.ts.
 */
final class Setup_Guide {

	/**
	 * The bundle and the unit, relative to the plugin folder.
	 */
	public const BUNDLE = 'service/consentry-service.mjs';
	public const UNIT   = 'service/consentry.service';

	/**
	 * The bundle's second line states the Node.js it needs (vite.service.config.ts writes it).
	 */
	private const NODE_LINE = '~^// consentry-service: needs Node\.js >= ([0-9]+\.[0-9]+\.[0-9]+)$~m';

	/**
	 * Bytes of the bundle read to find that line.
	 */
	private const HEADER_BYTES = 512;

	/**
	 * Service requests of the Check wait at most this long (seconds).
	 */
	private const TIMEOUT = 5;

	/**
	 * The facts of ConnectionGuideSchema.
	 *
	 * @return array<string, mixed>
	 */
	public static function facts(): array {
		$bundle = self::bundle_path();
		$found  = is_readable( $bundle );
		$unit   = is_readable( CONSENTRY_DIR . self::UNIT ) ? (string) file_get_contents( CONSENTRY_DIR . self::UNIT ) : ''; // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a file of this plugin.
		return array(
			'bundlePath'       => $bundle,
			'bundleFound'      => $found,
			'nodeMin'          => $found ? self::node_requirement( $bundle ) : null,
			'siteDomain'       => Settings::site_domain(),
			'serviceUnit'      => '' === $unit ? null : $unit,
			// The two routes every page view calls (not the display-preferences widget's).
			'visitorEndpoints' => (object) array_intersect_key( Frontend::endpoints(), array_flip( array( 'consent', 'heartbeat' ) ) ),
			'directToService'  => Settings::get( 'direct_to_service' ),
		);
	}

	/**
	 * Absolute path of the service bundle inside this WordPress.
	 */
	public static function bundle_path(): string {
		return plugin_dir_path( CONSENTRY_FILE ) . self::BUNDLE;
	}

	/**
	 * The Node.js version the bundle says it needs, or null.
	 *
	 * @param string $bundle Path of the bundle.
	 */
	public static function node_requirement( string $bundle ): ?string {
		// phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- the head of a file of this plugin.
		$head = file_get_contents( $bundle, false, null, 0, self::HEADER_BYTES );
		return is_string( $head ) && preg_match( self::NODE_LINE, $head, $match ) ? $match[1] : null;
	}

	/**
	 * The steps WordPress runs, in order; a step whose precondition failed is skipped.
	 *
	 * @return array{checkedAt: string, steps: array<int, array<string, string>>}
	 */
	public static function check(): array {
		$steps     = array();
		$reachable = self::service_step();
		$steps[]   = $reachable;
		$key       = 'pass' === $reachable['state'] ? self::key_step() : self::skipped( 'key_valid' );
		$steps[]   = $key;
		$steps[]   = 'pass' === $key['state'] ? self::site_step() : self::skipped( 'site_linked' );
		$steps[]   = self::banner_config_step();
		return array(
			'checkedAt' => gmdate( 'Y-m-d\TH:i:s\Z' ),
			'steps'     => $steps,
		);
	}

	/**
	 * Service reachable from PHP, with its version: Site Health's finding.
	 *
	 * @return array<string, string>
	 */
	private static function service_step(): array {
		$url = Settings::service_url();
		if ( '' === $url ) {
			return self::step(
				'service_reachable',
				'fail',
				__( 'No service URL is stored yet.', 'consentry' ),
				'',
				__( 'Start the service (steps 1 to 4), then enter its URL and the secret key in the Connect form and press Connect.', 'consentry' )
			);
		}
		$finding = Site_Health::service_finding( new Service_Client( $url ) );
		if ( 'good' === $finding['status'] ) {
			return self::step( 'service_reachable', 'pass', $finding['label'], $finding['description'] );
		}
		return self::step(
			'service_reachable',
			'fail',
			$finding['label'],
			$finding['description'],
			'' === $finding['version']
				? sprintf(
					/* translators: %s: the service's health URL. */
					__( 'Start the service (step 4: systemctl status consentry shows why it stopped) and check that this server reaches it: curl %s on this server must print the service\'s version. If the service runs on another machine, enter the address WordPress reaches it at.', 'consentry' ),
					$url . Service_Client::API_PREFIX . '/health'
				)
				: __( 'The service runs but cannot use its database: look at its log (journalctl -u consentry) and at the data folder\'s free space and owner.', 'consentry' )
		);
	}

	/**
	 * The stored secret key is accepted (GET /account).
	 *
	 * @return array<string, string>
	 */
	private static function key_step(): array {
		if ( '' === Settings::secret_key() ) {
			return self::step(
				'key_valid',
				'fail',
				__( 'No secret key is stored.', 'consentry' ),
				'',
				__( 'Create an account (step 3), then enter the secret key it prints (ck_…) in the Connect form and press Connect.', 'consentry' )
			);
		}
		$account = Service_Client::from_settings()->request( 'GET', '/account', null, array(), array( 'timeout' => self::TIMEOUT ) );
		if ( is_wp_error( $account ) ) {
			$status = (int) ( $account->get_error_data()['status'] ?? 0 );
			if ( 401 === $status ) {
				$hint = __( 'The key was revoked, mistyped, or belongs to another service database. Create a key (keys create --account <account id>, or a new account, step 3) and connect again with it.', 'consentry' );
			} elseif ( 403 === $status ) {
				$hint = __( 'The account\'s IP allowlist does not include this server\'s address: add it (PUT /api/v1/account/ip-allowlist) or empty the list.', 'consentry' );
			} else {
				$hint = __( 'Press Check again; if this stays, look at the service\'s log (journalctl -u consentry).', 'consentry' );
			}
			$summary = 401 === $status || 403 === $status ? __( 'The service refused the stored secret key.', 'consentry' ) : __( 'The service did not answer about the secret key.', 'consentry' );
			return self::step( 'key_valid', 'fail', $summary, self::error_text( $account ), $hint );
		}
		$plan = (string) ( $account['account']['plan'] ?? '' );
		return self::step(
			'key_valid',
			'pass',
			/* translators: %s: the end of the stored key, like ck_…abcd. */
			sprintf( __( 'The service accepts the stored secret key (%s).', 'consentry' ), (string) Settings::secret_key_hint() ),
			/* translators: %s: plan name, like self_hosted. */
			'' === $plan ? '' : sprintf( __( 'Account plan: %s.', 'consentry' ), $plan )
		);
	}

	/**
	 * The stored site id exists, is active, and its domain is this site's.
	 *
	 * @return array<string, string>
	 */
	private static function site_step(): array {
		$domain = Settings::site_domain();
		$again  = sprintf(
			/* translators: %s: this site's domain. */
			__( 'Press Connect again (with the secret key): the plugin links the active service site for %s, or creates it.', 'consentry' ),
			$domain
		);
		if ( '' === Settings::site_id() ) {
			return self::step( 'site_linked', 'fail', __( 'This site is not linked to a service site yet.', 'consentry' ), '', $again );
		}
		$answer = Service_Client::from_settings()->request( 'GET', '/sites/' . rawurlencode( Settings::site_id() ), null, array(), array( 'timeout' => self::TIMEOUT ) );
		if ( is_wp_error( $answer ) ) {
			$status  = (int) ( $answer->get_error_data()['status'] ?? 0 );
			$summary = 404 === $status
				/* translators: %s: site id. */
				? sprintf( __( 'The linked site %s does not exist on this service.', 'consentry' ), Settings::site_id() )
				: __( 'The service did not answer about the linked site.', 'consentry' );
			return self::step( 'site_linked', 'fail', $summary, self::error_text( $answer ), $again );
		}
		$site = is_array( $answer['site'] ?? null ) ? $answer['site'] : array();
		if ( 'active' !== ( $site['status'] ?? '' ) ) {
			/* translators: %s: site id. */
			return self::step( 'site_linked', 'fail', sprintf( __( 'The linked site %s was deleted on the service.', 'consentry' ), Settings::site_id() ), '', $again );
		}
		$linked = strtolower( (string) ( $site['domain'] ?? '' ) );
		if ( $linked !== $domain ) {
			return self::step(
				'site_linked',
				'fail',
				/* translators: 1: the linked site's domain, 2: this site's domain. */
				sprintf( __( 'The linked service site is for %1$s, but this site is %2$s.', 'consentry' ), $linked, $domain ),
				__( 'The site\'s address changed since it was connected (or the database was copied from another site); the service refuses choices from pages outside the linked domain.', 'consentry' ),
				$again
			);
		}
		return self::step(
			'site_linked',
			'pass',
			/* translators: 1: site id, 2: domain. */
			sprintf( __( 'Linked to the active service site %1$s for %2$s.', 'consentry' ), Settings::site_id(), $domain ),
			''
		);
	}

	/**
	 * The banner configuration pages print is cached and fresh: Site Health's finding.
	 *
	 * @return array<string, string>
	 */
	private static function banner_config_step(): array {
		if ( ! Settings::has_site() ) {
			return self::skipped( 'banner_config_cached' );
		}
		$finding = Site_Health::banner_config_finding();
		if ( 'good' === $finding['status'] ) {
			return self::step( 'banner_config_cached', 'pass', $finding['label'], $finding['description'] );
		}
		return self::step(
			'banner_config_cached',
			'fail',
			$finding['label'],
			$finding['description'],
			__( 'Pages fetch it from the service (GET /api/v1/banner/…) at most every 5 minutes while the site is visited: open a page of the site, then press Check again. If it stays missing or old, WordPress cannot reach the service (first step).', 'consentry' )
		);
	}

	/**
	 * A step not run because an earlier one failed.
	 *
	 * @param string $step Step name.
	 * @return array<string, string>
	 */
	private static function skipped( string $step ): array {
		return self::step( $step, 'skipped', __( 'Not checked: an earlier step failed.', 'consentry' ), '', __( 'Fix the earlier step first.', 'consentry' ) );
	}

	/**
	 * One result (ConnectionCheckResultSchema).
	 *
	 * @param string $step    Step name (CONNECTION_CHECK_STEPS).
	 * @param string $state   pass, fail or skipped.
	 * @param string $summary What was found.
	 * @param string $detail  More of it.
	 * @param string $hint    How to fix it.
	 * @return array<string, string>
	 */
	private static function step( string $step, string $state, string $summary, string $detail, string $hint = '' ): array {
		return array(
			'step'    => $step,
			'state'   => $state,
			'summary' => $summary,
			'detail'  => $detail,
			'hint'    => 'pass' === $state ? '' : $hint,
		);
	}

	/**
	 * A service error as the admin may read it: the HTTP status and the service's code, never its text.
	 *
	 * @param WP_Error $error Error of a service call.
	 */
	private static function error_text( WP_Error $error ): string {
		$data = (array) $error->get_error_data();
		$code = (string) ( $data['serviceCode'] ?? '' );
		if ( 'consentry_service_unavailable' === $error->get_error_code() ) {
			return $error->get_error_message();
		}
		/* translators: 1: HTTP status, 2: the service's error code. */
		return sprintf( __( 'HTTP %1$d %2$s', 'consentry' ), (int) ( $data['status'] ?? 0 ), preg_match( '/^[A-Z][A-Z_]{0,63}$/', $code ) ? $code : '' );
	}
}
