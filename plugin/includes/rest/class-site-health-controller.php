<?php
/**
 * The routes Site Health's async tests call.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Site_Health;
use WP_REST_Response;
use WP_REST_Server;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * `GET consentry/v1/site-health/{service,last-consent,webhooks,queue}`: one Site
 * Health result each (label, status, badge, description, actions, test), for
 * administrators (manage_options + the REST nonce Site Health sends).
 */
final class Site_Health_Controller extends Admin_Controller {

	public const REST_BASE = 'site-health';

	/**
	 * Route => the Site_Health method that answers it.
	 */
	private const TESTS = array(
		'service'      => 'service_test',
		'last-consent' => 'last_consent_test',
		'webhooks'     => 'webhooks_test',
		// A direct test (no service call), readable here too.
		'queue'        => 'queue_test',
	);

	/**
	 * Registers one read-only route per test.
	 */
	public function register_routes(): void {
		foreach ( self::TESTS as $route => $method ) {
			register_rest_route(
				self::REST_NAMESPACE,
				'/' . self::REST_BASE . '/' . $route,
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => static fn() => self::no_cache( new WP_REST_Response( Site_Health::$method(), 200 ) ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => array(),
				)
			);
		}
	}

	/**
	 * Results are of this moment: never cached.
	 *
	 * @param WP_REST_Response $response Response.
	 */
	private static function no_cache( WP_REST_Response $response ): WP_REST_Response {
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}
}
