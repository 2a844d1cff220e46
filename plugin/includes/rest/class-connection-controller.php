<?php
/**
 * The link between this WordPress site and a Consentry service site.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Banner_Config;
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
 * GET/POST/DELETE /admin/connection and POST /admin/connection/test.
 * The secret key goes in, never out: answers carry only its hint.
 */
final class Connection_Controller extends Admin_Controller {

	public const REST_BASE = 'admin/connection';

	/**
	 * How many sites one listing page asks for while looking for this domain.
	 */
	private const SITES_PAGE = 100;

	/**
	 * Registers the routes.
	 */
	public function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_connection' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => array(),
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'connect' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => self::credential_args( true ),
				),
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( $this, 'disconnect' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => array(),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/test',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'test' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => self::credential_args( false ),
				),
			)
		);
	}

	/**
	 * The connection state.
	 */
	public function get_connection(): WP_REST_Response {
		return new WP_REST_Response( Settings::connection(), 200 );
	}

	/**
	 * Links this site: finds the service site for this domain, else creates it.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function connect( WP_REST_Request $request ) {
		$service_url = Settings::normalize_service_url( (string) $request->get_param( 'serviceUrl' ) );
		$secret_key  = (string) $request->get_param( 'secretKey' );
		$client      = new Service_Client( $service_url, $secret_key );

		$site = self::find_site( $client, Settings::site_domain() );
		if ( is_wp_error( $site ) ) {
			return $site;
		}
		if ( null === $site ) {
			$created = $client->request(
				'POST',
				'/sites',
				array(
					'name'   => self::site_name(),
					'domain' => Settings::site_domain(),
				)
			);
			if ( is_wp_error( $created ) ) {
				return $created;
			}
			$site = $created['site'] ?? null;
		}
		if ( ! is_array( $site ) || empty( $site['id'] ) || empty( $site['publicKey'] ) ) {
			return new WP_Error( 'consentry_service_error', __( 'The service answered without a site.', 'consentry' ), array( 'status' => 502 ) );
		}

		Settings::save_connection( $service_url, $secret_key, (string) $site['id'], (string) $site['publicKey'] );
		Banner_Config::clear();
		Banner_Config::refresh();
		return new WP_REST_Response( Settings::connection(), 200 );
	}

	/**
	 * Checks that the service answers and, when a key is known, that it accepts the key.
	 * The stored key goes only to the stored URL: another URL is tested with the
	 * key the request brings, or without one. The URL may be any host the server
	 * reaches, so errors say only "could not connect" or the HTTP status.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function test( WP_REST_Request $request ) {
		$stored_url  = Settings::normalize_service_url( Settings::service_url() );
		$service_url = $request->has_param( 'serviceUrl' ) ? Settings::normalize_service_url( (string) $request->get_param( 'serviceUrl' ) ) : $stored_url;
		if ( '' === $service_url ) {
			return new WP_Error( 'consentry_not_connected', __( 'Enter the service URL first.', 'consentry' ), array( 'status' => 409 ) );
		}
		if ( $request->has_param( 'secretKey' ) ) {
			$secret_key = (string) $request->get_param( 'secretKey' );
		} else {
			$secret_key = $service_url === $stored_url ? Settings::secret_key() : '';
		}
		$client = new Service_Client( $service_url, $secret_key );
		$health = $client->health();
		if ( is_wp_error( $health ) ) {
			return self::test_error( $health );
		}
		if ( '' !== $secret_key ) {
			$sites = $client->request( 'GET', '/sites', null, array( 'limit' => 1 ) );
			if ( is_wp_error( $sites ) ) {
				return self::test_error( $sites );
			}
		}
		return new WP_REST_Response(
			array(
				'ok'        => true,
				'version'   => preg_match( '/^[0-9A-Za-z.+-]{1,32}$/', $health['version'] ) ? $health['version'] : '',
				'latencyMs' => $health['latencyMs'],
			),
			200
		);
	}

	/**
	 * A failed test as the admin sees it: "could not connect", or the HTTP status
	 * and the service's error code; never the answer's text or the transport's
	 * reason (they can describe the internal network).
	 *
	 * @param WP_Error $error Error of the service call.
	 */
	private static function test_error( WP_Error $error ): WP_Error {
		$data   = (array) $error->get_error_data();
		$status = (int) ( $data['status'] ?? 502 );
		if ( 'consentry_service_unavailable' === $error->get_error_code() ) {
			return new WP_Error( 'consentry_service_unavailable', __( 'Could not connect to the service.', 'consentry' ), array( 'status' => 503 ) );
		}
		$public = array( 'status' => $status );
		$code   = (string) ( $data['serviceCode'] ?? '' );
		if ( preg_match( '/^[A-Z][A-Z_]{0,63}$/', $code ) ) {
			$public['serviceCode'] = $code;
		}
		$http = (int) ( $data['details']['httpStatus'] ?? $status );
		return new WP_Error(
			$error->get_error_code(),
			401 === $http
				? __( 'The service refused the secret key (HTTP 401).', 'consentry' )
				/* translators: %d: HTTP status code. */
				: sprintf( __( 'The service URL answered HTTP %d.', 'consentry' ), $http ),
			$public
		);
	}

	/**
	 * Forgets the key and the linked site; keeps the service URL.
	 */
	public function disconnect(): WP_REST_Response {
		Settings::disconnect();
		Banner_Config::clear();
		return new WP_REST_Response( array( 'connected' => false ), 200 );
	}

	/**
	 * The active service site whose domain is this site's, if any.
	 *
	 * @param Service_Client $client Client with the new credentials.
	 * @param string         $domain This site's domain.
	 * @return array<string, mixed>|WP_Error|null
	 */
	private static function find_site( Service_Client $client, string $domain ) {
		$offset = 0;
		do {
			$page = $client->request(
				'GET',
				'/sites',
				null,
				array(
					'limit'  => self::SITES_PAGE,
					'offset' => $offset,
					'status' => 'active',
				)
			);
			if ( is_wp_error( $page ) ) {
				return $page;
			}
			$sites = is_array( $page['data'] ?? null ) ? $page['data'] : array();
			foreach ( $sites as $site ) {
				if ( is_array( $site ) && strtolower( (string) ( $site['domain'] ?? '' ) ) === $domain ) {
					return $site;
				}
			}
			$offset += count( $sites );
			$total   = (int) ( $page['pagination']['total'] ?? 0 );
		} while ( $sites && $offset < $total );
		return null;
	}

	/**
	 * The site's name for the service (the blog name, else the domain).
	 */
	private static function site_name(): string {
		$name = trim( wp_strip_all_tags( html_entity_decode( get_bloginfo( 'name' ), ENT_QUOTES, 'UTF-8' ) ) );
		return '' === $name ? Settings::site_domain() : mb_substr( $name, 0, 200 );
	}

	/**
	 * Arguments of connect (both required) and test (both optional).
	 *
	 * @param bool $required Whether the credentials are required.
	 * @return array<string, array<string, mixed>>
	 */
	private static function credential_args( bool $required ): array {
		return array(
			'serviceUrl' => array(
				'description'       => __( 'Base URL of the Consentry service.', 'consentry' ),
				'type'              => 'string',
				'pattern'           => '^https?://',
				'minLength'         => 8,
				'maxLength'         => 2048,
				'required'          => $required,
				'validate_callback' => array( self::class, 'validate_http_url' ),
				'sanitize_callback' => array( self::class, 'sanitize_url' ),
			),
			'secretKey'  => array(
				'description'       => __( 'Secret API key of the service account (ck_…). Stored, never shown again.', 'consentry' ),
				'type'              => 'string',
				'pattern'           => '^ck_[A-Za-z0-9_]{8,200}$',
				'minLength'         => 11,
				'maxLength'         => 203,
				'required'          => $required,
				'validate_callback' => 'rest_validate_request_arg',
				'sanitize_callback' => array( self::class, 'sanitize_text' ),
			),
		);
	}
}
