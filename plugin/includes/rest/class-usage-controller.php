<?php
/**
 * Pageviews and consent choices over time.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * GET /admin/usage?days=30.
 */
final class Usage_Controller extends Admin_Controller {

	public const REST_BASE = 'admin/usage';

	/**
	 * Registers the route.
	 */
	public function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_usage' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => self::shared_args( 'UsageQuery', array( 'days' => __( 'How many days of choices to return.', 'consentry' ) ) ),
				),
			)
		);
	}

	/**
	 * The service's usage answer.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function get_usage( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		return self::respond( $client->request_text( 'GET', self::site_path( '/usage' ), null, array( 'days' => (int) $request->get_param( 'days' ) ) ) );
	}
}
