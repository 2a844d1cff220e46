<?php
/**
 * The Connection screen's set-up steps and its Check.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Setup_Guide;
use WP_REST_Response;
use WP_REST_Server;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * `GET consentry/v1/connection/guide`: this host's facts for the set-up steps
 * (ConnectionGuideSchema). `GET consentry/v1/connection/check`: the steps of the
 * Check that WordPress runs (ConnectionCheckSchema). Administrators only
 * (manage_options + the REST nonce); neither answer holds a secret.
 */
final class Setup_Guide_Controller extends Admin_Controller {

	public const REST_BASE = 'connection';

	/**
	 * Registers the two read-only routes.
	 */
	public function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/guide',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => static fn() => self::no_cache( new WP_REST_Response( Setup_Guide::facts(), 200 ) ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => array(),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/check',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => static fn() => self::no_cache( new WP_REST_Response( Setup_Guide::check(), 200 ) ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => array(),
				),
			)
		);
	}

	/**
	 * Answers of this moment: never cached.
	 *
	 * @param WP_REST_Response $response Response.
	 */
	private static function no_cache( WP_REST_Response $response ): WP_REST_Response {
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}
}
