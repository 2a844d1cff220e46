<?php
/**
 * Base of the routes visitors' browsers call.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Service_Client;
use Consentry\Settings;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Visitor routes are public on purpose: every visitor of the site, logged in
 * or not, records a consent choice and a pageview, and pages are cached so no
 * nonce can be printed into them. They guard themselves instead: a body cap
 * (413), a same-origin check (403), a per-address rate limit (429), and a
 * strict schema; the service then checks the public key and the fields again.
 */
abstract class Visitor_Controller extends Controller {

	/**
	 * Largest body accepted, in bytes.
	 */
	public const MAX_BODY_BYTES = 16 * KB_IN_BYTES;

	/**
	 * Requests per visitor per window, as a multiple of the `visitor_rate_limit`
	 * setting (consent records per minute); the `consentry_visitor_rate_limit` filter has the last word.
	 */
	public const RATE_LIMIT_FACTOR = 1;

	/**
	 * Length of a rate-limit window, in seconds, from the window's first request.
	 */
	public const RATE_WINDOW = MINUTE_IN_SECONDS;

	/**
	 * Without a persistent object cache the windows live in this one option
	 * (not autoloaded), so the number of rows never grows with the number of
	 * visitors: a map of at most RATE_TABLE_SIZE live windows.
	 */
	public const RATE_OPTION = 'consentry_rate_windows';

	/**
	 * Most windows the option holds. When more addresses than that are live at
	 * once, the oldest window is forgotten (that address starts a new one): the
	 * service limits each address too.
	 */
	public const RATE_TABLE_SIZE = 256;

	/**
	 * An entry holds `window start * RATE_COUNT_BASE + count` (more than any limit fits below it).
	 */
	private const RATE_COUNT_BASE = 1 << 20;

	/**
	 * Object cache group of the windows when there is a persistent object cache.
	 */
	private const RATE_CACHE_GROUP = 'consentry_rate';

	/**
	 * Path on the service the route forwards to.
	 */
	public const SERVICE_PATH = '';

	/**
	 * Status of a successful answer.
	 */
	public const SUCCESS_STATUS = 200;

	/**
	 * Rate-limit answer per request object, so a request is counted once.
	 *
	 * @var array<int, true|WP_Error>
	 */
	private array $permission = array();

	/**
	 * Adds the hooks (routes, and the guard that runs before WordPress parses arguments).
	 */
	public function register(): void {
		parent::register();
		add_filter( 'rest_pre_dispatch', array( $this, 'guard_body' ), 10, 3 );
	}

	/**
	 * Argument schema of the route.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	abstract protected function args(): array;

	/**
	 * Registers the route.
	 */
	public function register_routes(): void {
		register_rest_route(
			static::REST_NAMESPACE,
			'/' . static::REST_BASE,
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'forward' ),
					'permission_callback' => array( $this, 'check_visitor_permission' ),
					'args'                => $this->args(),
				),
			)
		);
	}

	/**
	 * Before arguments are validated: refuses oversized bodies (413) and other
	 * sites' pages (403) before any parsing work, and reads
	 * a JSON body sent as text/plain (what `navigator.sendBeacon` sends for a string).
	 *
	 * @param mixed           $result  Earlier result.
	 * @param WP_REST_Server  $server  Server.
	 * @param WP_REST_Request $request Request.
	 * @return mixed
	 */
	public function guard_body( $result, $server, $request ) {
		if ( null !== $result || ! $request instanceof WP_REST_Request || '/' . static::REST_NAMESPACE . '/' . static::REST_BASE !== untrailingslashit( $request->get_route() ) ) {
			return $result;
		}
		$body = (string) $request->get_body();
		if ( strlen( $body ) > self::MAX_BODY_BYTES ) {
			return self::too_large();
		}
		if ( ! self::is_same_origin( $request ) ) {
			return self::cross_origin();
		}
		if ( '' !== $body && ! $request->is_json_content_type() ) {
			$decoded = json_decode( $body, true );
			if ( is_array( $decoded ) ) {
				$request->set_body_params( $decoded );
			}
		}
		return $result;
	}

	/**
	 * Permission callback: public route, guarded (see the class comment).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public function check_visitor_permission( WP_REST_Request $request ) {
		if ( strlen( (string) $request->get_body() ) > self::MAX_BODY_BYTES ) {
			return self::too_large();
		}
		if ( ! self::is_same_origin( $request ) ) {
			return self::cross_origin();
		}
		// WordPress asks again for the Allow header of the answer: count each request once.
		$this->permission[ spl_object_id( $request ) ] ??= $this->take_rate_token();
		return $this->permission[ spl_object_id( $request ) ];
	}

	/**
	 * Forwards the request to the service with the site's public key and the
	 * visitor's address and browser, so the event records them (anonymised there).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function forward( WP_REST_Request $request ) {
		if ( ! Settings::has_site() ) {
			return new WP_Error( 'consentry_not_connected', __( 'Consentry is not connected to a service.', 'consentry' ), array( 'status' => 409 ) );
		}
		$body       = self::forward_fields( $request, array_keys( $this->args() ) );
		$args       = array();
		$ip         = '';
		$user_agent = '';
		if ( $this->identifies_visitor() ) {
			$body['api_key'] = Settings::public_key();
			$headers         = array();
			$ip              = self::visitor_ip();
			if ( '' !== $ip ) {
				$headers['X-Forwarded-For'] = $ip;
			}
			$user_agent = substr( sanitize_text_field( wp_unslash( $_SERVER['HTTP_USER_AGENT'] ?? '' ) ), 0, 512 );
			$args       = array( 'headers' => $headers );
			if ( '' !== $user_agent ) {
				$args['user-agent'] = $user_agent;
			}
		}
		$result = ( new Service_Client( Settings::service_url() ) )->request_text( 'POST', $this->service_path(), $body, array(), $args );
		if ( ! is_wp_error( $result ) ) {
			$this->after_forward();
			return self::respond( $result, static::SUCCESS_STATUS );
		}
		if ( self::is_outage( $result ) ) {
			unset( $body['api_key'] );
			$answer = $this->while_unavailable( $body, $ip, $user_agent );
			if ( null !== $answer ) {
				// phpcs:ignore WordPress.PHP.DevelopmentFunctions -- the server log is where the details belong.
				error_log( sprintf( 'Consentry: visitor route %s: the service is not available (%s); answered %d', static::REST_BASE, $result->get_error_code(), $answer->get_status() ) );
				return $answer;
			}
		}
		return self::visitor_error( $result );
	}

	/**
	 * Whether a failed forward means the service is away (no answer, a timeout,
	 * a 5xx), not that it refused this request (4xx: the visitor gets that).
	 *
	 * @param WP_Error $error Error of the service call.
	 */
	private static function is_outage( WP_Error $error ): bool {
		$status = (int) ( ( (array) $error->get_error_data() )['status'] ?? 0 );
		return 'consentry_service_unavailable' === $error->get_error_code()
			|| ( 'consentry_service_error' === $error->get_error_code() && $status >= 500 );
	}

	/**
	 * The answer while the service is away, after validation: null keeps the
	 * error answer. Visitors' browsers should see nothing wrong (see the routes).
	 *
	 * @param array<string, mixed> $body       The validated fields (without the public key).
	 * @param string               $ip         The visitor's address, or ''.
	 * @param string               $user_agent The visitor's browser, or ''.
	 */
	protected function while_unavailable( array $body, string $ip, string $user_agent ): ?WP_REST_Response {
		return null;
	}

	/**
	 * Called after the service took a request.
	 */
	protected function after_forward(): void {}

	/**
	 * The answer of a count that was not made because the service is away:
	 * 202 (taken, not acted on), so visitors' consoles show no error.
	 */
	protected static function not_counted(): WP_REST_Response {
		return new WP_REST_Response(
			array(
				'success' => true,
				'counted' => false,
			),
			202
		);
	}

	/**
	 * Path on the service the route forwards to.
	 */
	protected function service_path(): string {
		return static::SERVICE_PATH;
	}

	/**
	 * Whether the service is told who sends (the public key in the body, the
	 * visitor's address and browser): what a consent record keeps as proof.
	 * An anonymous count says false and forwards its fields alone.
	 */
	protected function identifies_visitor(): bool {
		return true;
	}

	/**
	 * What the rate limit counts per window: the visitor's address by default;
	 * '' counts every visitor of the route together (no address is kept).
	 */
	protected function rate_subject(): string {
		return self::visitor_ip();
	}

	/**
	 * What an anonymous visitor learns of a failed service call: the status, the
	 * service's error code and a generic message. The details (the service's
	 * message and fields) go to the PHP error log only.
	 *
	 * @param WP_Error $error Error of the service call.
	 */
	private static function visitor_error( WP_Error $error ): WP_Error {
		$data   = (array) $error->get_error_data();
		$status = (int) ( $data['status'] ?? 502 );
		// phpcs:ignore WordPress.PHP.DevelopmentFunctions -- the server log is where the details belong.
		error_log( sprintf( 'Consentry: visitor route %s: %s: %s %s', static::REST_BASE, $error->get_error_code(), $error->get_error_message(), (string) wp_json_encode( $data ) ) );
		if ( 'consentry_service_error' === $error->get_error_code() && $status >= 400 && $status < 500 ) {
			$public = array( 'status' => $status );
			if ( preg_match( '/^[A-Z][A-Z_]{0,63}$/', (string) ( $data['serviceCode'] ?? '' ) ) ) {
				$public['serviceCode'] = $data['serviceCode'];
			}
			return new WP_Error( 'consentry_service_error', __( 'The consent service refused the request.', 'consentry' ), $public );
		}
		if ( 'consentry_not_connected' === $error->get_error_code() ) {
			return new WP_Error( 'consentry_not_connected', __( 'Consentry is not connected to a service.', 'consentry' ), array( 'status' => 409 ) );
		}
		return new WP_Error( 'consentry_service_unavailable', __( 'The consent service is not available right now.', 'consentry' ), array( 'status' => 503 ) );
	}

	/**
	 * The visitor's address. Only REMOTE_ADDR by default: headers are the visitor's
	 * to forge. Sites behind a trusted proxy use the `consentry_visitor_ip` filter.
	 */
	public static function visitor_ip(): string {
		$remote = isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '';
		/**
		 * Filters the visitor address forwarded to the service (which anonymises it).
		 *
		 * @param string $ip REMOTE_ADDR.
		 */
		$ip = (string) apply_filters( 'consentry_visitor_ip', $remote );
		return false !== filter_var( $ip, FILTER_VALIDATE_IP ) ? $ip : '';
	}

	/**
	 * Whether the Origin (or, without it, the Referer) names this site. Requests
	 * with neither pass: browsers send Origin on every cross-site POST.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private static function is_same_origin( WP_REST_Request $request ): bool {
		$origin = (string) $request->get_header( 'origin' );
		if ( '' === $origin || 'null' === $origin ) {
			$origin = (string) $request->get_header( 'referer' );
		}
		if ( '' === $origin ) {
			return true;
		}
		$host = self::host_of( $origin );
		return '' !== $host && in_array( $host, array( self::host_of( home_url() ), self::host_of( site_url() ) ), true );
	}

	/**
	 * `host[:port]` of a URL, lower-case.
	 *
	 * @param string $url URL.
	 */
	private static function host_of( string $url ): string {
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			return '';
		}
		return strtolower( $parts['host'] ) . ( isset( $parts['port'] ) ? ':' . (int) $parts['port'] : '' );
	}

	/**
	 * Counts the request against its address's window; 429 when the window is
	 * full. Keyed on the address alone: anything else in the request (the
	 * browser string) is the sender's to change.
	 *
	 * @return true|WP_Error
	 */
	private function take_rate_token() {
		/**
		 * Filters how many requests one visitor address may send to a visitor route per minute.
		 *
		 * @param int    $limit Requests per window.
		 * @param string $route Route base (`consent`, `heartbeat`).
		 */
		$limit = (int) apply_filters( 'consentry_visitor_rate_limit', static::RATE_LIMIT_FACTOR * Settings::get_int( 'visitor_rate_limit' ), static::REST_BASE );
		if ( $limit <= 0 ) {
			return true;
		}
		$now    = time();
		$hash   = hash_hmac( 'sha256', static::REST_BASE . '|' . $this->rate_subject(), wp_salt( 'nonce' ) );
		$window = wp_using_ext_object_cache()
			? self::count_in_cache( substr( $hash, 0, 24 ), $now )
			: self::count_in_table( 'w' . substr( $hash, 0, 12 ), $now, min( $limit, self::RATE_COUNT_BASE - 1 ) );
		$count  = $window[0];
		if ( $count > $limit ) {
			return new WP_Error(
				'consentry_rate_limited',
				__( 'Too many requests. Try again in a minute.', 'consentry' ),
				array(
					'status'     => 429,
					'retryAfter' => max( 1, $window[1] + self::RATE_WINDOW - $now ),
				)
			);
		}
		return true;
	}

	/**
	 * Counts the request in the persistent object cache: the window's start under
	 * the address's key, its count under a key of that start.
	 *
	 * @param string $key Hash of route and address.
	 * @param int    $now Time.
	 * @return array{0: int, 1: int} Requests in the window (this one included), and when the window started.
	 */
	private static function count_in_cache( string $key, int $now ): array {
		wp_cache_add( $key, $now, self::RATE_CACHE_GROUP, self::RATE_WINDOW );
		$started = (int) wp_cache_get( $key, self::RATE_CACHE_GROUP );
		if ( $started <= $now - self::RATE_WINDOW ) {
			// Outlived its expiry (or was lost): a new window starts now.
			$started = $now;
			wp_cache_set( $key, $now, self::RATE_CACHE_GROUP, self::RATE_WINDOW );
		}
		$counter = $key . ':' . $started;
		wp_cache_add( $counter, 0, self::RATE_CACHE_GROUP, self::RATE_WINDOW );
		$count = wp_cache_incr( $counter, 1, self::RATE_CACHE_GROUP );
		if ( false === $count ) {
			// Evicted between add and incr.
			wp_cache_set( $counter, 1, self::RATE_CACHE_GROUP, self::RATE_WINDOW );
			$count = 1;
		}
		return array( (int) $count, $started );
	}

	/**
	 * Counts the request in the option's map of windows, whose entries hold
	 * `window start * RATE_COUNT_BASE + count`. A refused request writes
	 * nothing; an accepted one rewrites the one row, dropping ended windows.
	 * Concurrent requests may lose a count: the limit is a guard, not a quota.
	 *
	 * @param string $key   Hash of route and address.
	 * @param int    $now   Time.
	 * @param int    $limit Requests allowed per window.
	 * @return array{0: int, 1: int} Requests in the window (this one included), and when the window started.
	 */
	private static function count_in_table( string $key, int $now, int $limit ): array {
		$table   = get_option( self::RATE_OPTION, array() );
		$table   = is_array( $table ) ? $table : array();
		$live    = static fn( $packed ) => intdiv( (int) $packed, self::RATE_COUNT_BASE ) > $now - self::RATE_WINDOW;
		$packed  = (int) ( $table[ $key ] ?? 0 );
		$started = $live( $packed ) ? intdiv( $packed, self::RATE_COUNT_BASE ) : $now;
		$count   = $live( $packed ) ? $packed % self::RATE_COUNT_BASE : 0;
		if ( $count >= $limit ) {
			return array( $count + 1, $started );
		}
		$table = array_filter( $table, $live );
		unset( $table[ $key ] );
		if ( count( $table ) >= self::RATE_TABLE_SIZE ) {
			asort( $table );
			$table = array_slice( $table, count( $table ) - self::RATE_TABLE_SIZE + 1, null, true );
		}
		$table[ $key ] = $started * self::RATE_COUNT_BASE + $count + 1;
		update_option( self::RATE_OPTION, $table, false );
		return array( $count + 1, $started );
	}

	/**
	 * The 403 answer to another site's page.
	 */
	private static function cross_origin(): WP_Error {
		return new WP_Error( 'consentry_cross_origin', __( 'This endpoint only answers pages of this site.', 'consentry' ), array( 'status' => 403 ) );
	}

	/**
	 * The 413 answer.
	 */
	private static function too_large(): WP_Error {
		/* translators: %d: size limit in KiB. */
		return new WP_Error( 'consentry_payload_too_large', sprintf( __( 'The request body is larger than %d KiB.', 'consentry' ), self::MAX_BODY_BYTES / KB_IN_BYTES ), array( 'status' => 413 ) );
	}
}
