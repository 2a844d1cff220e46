<?php
/**
 * HTTP client of the Consentry service.
 *
 * @package Consentry
 */

namespace Consentry;

use WP_Error;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Talks JSON to the service's /api/v1 and turns every failure into a WP_Error:
 * - no answer (down, refused, timeout): `consentry_service_unavailable`, 503
 *   (the transport's reason goes to the PHP error log only);
 * - an error answer: `consentry_service_error` with the service's status, code,
 *   message and details, so the admin app can show messages at the field.
 */
final class Service_Client {

	public const API_PREFIX = '/api/v1';

	/**
	 * Seconds to wait for the service before giving up.
	 */
	public const TIMEOUT = 5;

	/**
	 * Seconds a download (the consent export) may take.
	 */
	public const DOWNLOAD_TIMEOUT = 120;

	/**
	 * Service base URL (no trailing slash).
	 *
	 * @var string
	 */
	private string $base_url;

	/**
	 * Secret key, or empty for public endpoints.
	 *
	 * @var string
	 */
	private string $secret_key;

	/**
	 * Constructor.
	 *
	 * @param string $base_url   Service base URL.
	 * @param string $secret_key Secret key (`ck_…`), or '' for the visitor endpoints.
	 */
	public function __construct( string $base_url, string $secret_key = '' ) {
		$this->base_url   = Settings::normalize_service_url( $base_url );
		$this->secret_key = $secret_key;
	}

	/**
	 * A client for the stored connection.
	 */
	public static function from_settings(): self {
		return new self( Settings::service_url(), Settings::secret_key() );
	}

	/**
	 * One request to the service.
	 *
	 * @param string                    $method HTTP method.
	 * @param string                    $path   Path under /api/v1, starting with `/`.
	 * @param array<string, mixed>|null $body   JSON body.
	 * @param array<string, mixed>      $query  Query arguments (null and '' dropped).
	 * @param array<string, mixed>      $args   Extra wp_remote_request arguments (`headers`, `timeout`, `user-agent`).
	 * @return array<string, mixed>|WP_Error Decoded JSON body ([] for 204).
	 */
	public function request( string $method, string $path, ?array $body = null, array $query = array(), array $args = array() ) {
		$raw = $this->request_text( $method, $path, $body, $query, $args );
		if ( is_wp_error( $raw ) ) {
			return $raw;
		}
		return '' === $raw ? array() : (array) json_decode( $raw, true );
	}

	/**
	 * GET an answer of the service that can be large (the consent export) into
	 * a file, so that it never sits in memory whole.
	 *
	 * @param string               $path  Path under /api/v1.
	 * @param array<string, mixed> $query Query arguments.
	 * @param string               $file  File the body is written to.
	 * @return true|WP_Error
	 */
	public function download( string $path, array $query, string $file ) {
		$result = $this->request_text(
			'GET',
			$path,
			null,
			$query,
			array(
				'stream'   => true,
				'filename' => $file,
				'timeout'  => self::DOWNLOAD_TIMEOUT,
			)
		);
		return is_wp_error( $result ) ? $result : true;
	}

	/**
	 * Like request(), but answers the JSON text itself: callers that print it keep
	 * `{}` and `[]` apart (PHP arrays cannot).
	 *
	 * @param string                    $method HTTP method.
	 * @param string                    $path   Path under /api/v1.
	 * @param array<string, mixed>|null $body   JSON body.
	 * @param array<string, mixed>      $query  Query arguments.
	 * @param array<string, mixed>      $args   Extra wp_remote_request arguments.
	 * @return string|WP_Error JSON text ('' for an empty answer).
	 */
	public function request_text( string $method, string $path, ?array $body = null, array $query = array(), array $args = array() ) {
		if ( '' === $this->base_url ) {
			return new WP_Error( 'consentry_not_connected', __( 'Consentry is not connected to a service.', 'consentry' ), array( 'status' => 409 ) );
		}
		$query = array_filter( $query, static fn( $value ) => null !== $value && '' !== $value );
		$url   = $this->base_url . self::API_PREFIX . $path;
		if ( $query ) {
			$url .= '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 );
		}

		$headers = array( 'Accept' => 'application/json' );
		if ( '' !== $this->secret_key ) {
			$headers['Authorization'] = 'Bearer ' . $this->secret_key;
		}
		$request = array(
			'method'      => $method,
			'timeout'     => self::TIMEOUT,
			'redirection' => 0,
			'user-agent'  => 'Consentry-WordPress/' . CONSENTRY_VERSION . '; ' . home_url( '/' ),
		);
		if ( null !== $body ) {
			$headers['Content-Type'] = 'application/json';
			// An empty PHP array must reach the service as an object.
			$request['body'] = wp_json_encode( $body ? $body : new \stdClass() );
		}
		$request['headers'] = array_merge( $headers, $args['headers'] ?? array() );
		unset( $args['headers'] );
		$request = array_merge( $request, $args );

		$response = wp_remote_request( $url, $request );
		if ( is_wp_error( $response ) ) {
			// The transport's message names hosts, addresses and ports: the server log gets it, callers do not.
			// phpcs:ignore WordPress.PHP.DevelopmentFunctions -- the server log is where the details belong.
			error_log( sprintf( 'Consentry: %s %s: %s', $method, $url, $response->get_error_message() ) );
			return new WP_Error(
				'consentry_service_unavailable',
				__( 'The Consentry service is not reachable right now. Nothing was lost: try again when it is back.', 'consentry' ),
				array( 'status' => 503 )
			);
		}

		$status = (int) wp_remote_retrieve_response_code( $response );
		$raw    = (string) wp_remote_retrieve_body( $response );
		if ( isset( $request['filename'] ) ) {
			$raw = self::streamed( $request['filename'], $raw, $status >= 200 && $status < 300 );
		}
		$decoded = '' === $raw ? array() : json_decode( $raw, true );
		if ( $status >= 200 && $status < 300 ) {
			if ( '' !== $raw && ! is_array( $decoded ) ) {
				return self::unexpected( $status );
			}
			return $raw;
		}
		return self::error_from( $status, is_array( $decoded ) ? $decoded : array() );
	}

	/**
	 * A streamed answer: a success stays in its file; an error comes back as
	 * text to be read. (A transport that ignores `filename` leaves the body in
	 * the response: it then goes to the file here.)
	 *
	 * @param string $file Download file.
	 * @param string $body Body left in the response.
	 * @param bool   $ok   Whether the status is a success.
	 */
	private static function streamed( string $file, string $body, bool $ok ): string {
		if ( $ok ) {
			if ( '' !== $body ) {
				file_put_contents( $file, $body ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents -- a temporary file of this request.
			}
			return '';
		}
		return '' !== $body ? $body : (string) file_get_contents( $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local temporary file.
	}

	/**
	 * Liveness of the service, and how long it took to answer.
	 *
	 * @return array{version: string, latencyMs: int}|WP_Error
	 */
	public function health() {
		$started = microtime( true );
		$body    = $this->request( 'GET', '/health' );
		if ( is_wp_error( $body ) ) {
			return $body;
		}
		return array(
			'version'   => (string) ( $body['version'] ?? '' ),
			'latencyMs' => (int) round( ( microtime( true ) - $started ) * 1000 ),
		);
	}

	/**
	 * The service's error body as a WP_Error.
	 *
	 * @param int                  $status HTTP status the service answered.
	 * @param array<string, mixed> $body   Decoded body.
	 */
	private static function error_from( int $status, array $body ): WP_Error {
		$error = is_array( $body['error'] ?? null ) ? $body['error'] : array();
		if ( ! $error ) {
			// Something answered, but not the service (a proxy's 502, a wrong URL's 404 page).
			return 502 === $status || 503 === $status || 504 === $status
				? new WP_Error( 'consentry_service_unavailable', __( 'The Consentry service is not reachable right now. Nothing was lost: try again when it is back.', 'consentry' ), array( 'status' => 503 ) )
				: self::unexpected( $status );
		}
		$data = array(
			'status'      => $status >= 400 && $status < 600 ? $status : 502,
			'serviceCode' => (string) ( $error['code'] ?? 'UNKNOWN' ),
			'details'     => $error['details'] ?? null,
		);
		if ( isset( $error['request_id'] ) ) {
			$data['requestId'] = (string) $error['request_id'];
		}
		return new WP_Error( 'consentry_service_error', (string) ( $error['message'] ?? __( 'The Consentry service refused the request.', 'consentry' ) ), $data );
	}

	/**
	 * An answer that is not the service's JSON.
	 *
	 * @param int $status HTTP status.
	 */
	private static function unexpected( int $status ): WP_Error {
		return new WP_Error(
			'consentry_service_error',
			/* translators: %d: HTTP status code. */
			sprintf( __( 'The service URL answered something that is not the Consentry service (HTTP %d). Check the URL.', 'consentry' ), $status ),
			array(
				'status'      => 502,
				'serviceCode' => 'UNEXPECTED_RESPONSE',
				'details'     => array( 'httpStatus' => $status ),
			)
		);
	}
}
