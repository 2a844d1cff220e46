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
 * GET /admin/usage?days=30, and GET /admin/display-usage?from&to&interval (anonymous display-preferences counts).
 */
final class Usage_Controller extends Admin_Controller {

	public const REST_BASE = 'admin/usage';

	/**
	 * Route of the display-preferences counts.
	 */
	public const DISPLAY_BASE = 'admin/display-usage';

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
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::DISPLAY_BASE,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_display_usage' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => self::shared_args(
						'DisplayUsageQuery',
						array(
							'from'     => __( 'Start of the range (ISO 8601); default 30 days before its end.', 'consentry' ),
							'to'       => __( 'End of the range (ISO 8601); default now.', 'consentry' ),
							'interval' => __( 'Bucket size: hour or day.', 'consentry' ),
						)
					),
				),
			)
		);
	}

	/**
	 * The service's display-preferences counts per profile and hour or day.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function get_display_usage( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$query = array();
		foreach ( array( 'from', 'to', 'interval' ) as $name ) {
			$value = $request->get_param( $name );
			if ( is_string( $value ) && '' !== $value ) {
				$query[ $name ] = $value;
			}
		}
		return self::respond( $client->request_text( 'GET', self::site_path( '/display-usage' ), null, $query ) );
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
