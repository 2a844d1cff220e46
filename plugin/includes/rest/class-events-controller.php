<?php
/**
 * The consent log: proof of consent, listed and exported.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use WP_Error;
use WP_HTTP_Response;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * GET /admin/events (service list passthrough) and GET /admin/events/export (CSV).
 */
final class Events_Controller extends Admin_Controller {

	public const REST_BASE = 'admin/events';

	/**
	 * Adds the hooks (the routes, and the raw CSV serving).
	 */
	public function register(): void {
		parent::register();
		add_filter( 'rest_pre_serve_request', array( $this, 'serve_csv' ), 10, 4 );
	}

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
					'callback'            => array( $this, 'list_events' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => self::shared_args(
						'EventListQuery',
						self::filter_descriptions() + array(
							'limit'  => __( 'Events per page.', 'consentry' ),
							'offset' => __( 'Events to skip.', 'consentry' ),
							'cursor' => __( 'nextCursor of the previous page.', 'consentry' ),
						)
					),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/export',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'export_events' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => self::shared_args( 'ExportQuery', self::filter_descriptions() ),
				),
			)
		);
	}

	/**
	 * One page of events.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function list_events( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$query = self::filters( $request ) + array(
			'limit'  => (int) $request->get_param( 'limit' ),
			'offset' => (int) $request->get_param( 'offset' ),
			'cursor' => $request->get_param( 'cursor' ),
		);
		return self::respond( $client->request_text( 'GET', self::events_path(), null, $query ) );
	}

	/**
	 * The service's own CSV export (its columns, its formula escaping), taken
	 * into a temporary file first so that a service failure is still a proper
	 * JSON error; `serve_csv` then sends the file.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function export_events( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$file = tempnam( get_temp_dir(), 'consentry-export-' );
		if ( false === $file ) {
			return new WP_Error( 'consentry_export_failed', __( 'No temporary file could be made for the export.', 'consentry' ), array( 'status' => 500 ) );
		}
		$export = new Csv_Export( $file );
		$result = $client->download( self::site_path( '/consent/export' ), array( 'format' => 'csv' ) + self::filters( $request ), $file );
		if ( is_wp_error( $result ) ) {
			$export->discard();
			return $result;
		}
		$response = new WP_REST_Response( $export, 200 );
		$response->header( 'Content-Type', 'text/csv; charset=utf-8' );
		$response->header( 'Content-Disposition', 'attachment; filename="consentry-consent-log-' . gmdate( 'Y-m-d' ) . '.csv"' );
		$response->header( 'Cache-Control', 'no-store' );
		$response->header( 'X-Content-Type-Options', 'nosniff' );
		return $response;
	}

	/**
	 * Writes an export response as CSV instead of JSON.
	 *
	 * @param bool             $served  Whether already served.
	 * @param WP_HTTP_Response $result  Response.
	 * @return bool
	 */
	public function serve_csv( $served, $result ) {
		if ( $served || ! $result instanceof WP_HTTP_Response || ! $result->get_data() instanceof Csv_Export ) {
			return $served;
		}
		$result->get_data()->send();
		return true;
	}

	/**
	 * The filters the service accepts.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return array<string, mixed>
	 */
	private static function filters( WP_REST_Request $request ): array {
		return array(
			'action' => $request->get_param( 'action' ),
			'from'   => $request->get_param( 'from' ),
			'to'     => $request->get_param( 'to' ),
		);
	}

	/**
	 * Service path of the linked site's events.
	 */
	private static function events_path(): string {
		return self::site_path( '/consent/events' );
	}

	/**
	 * Descriptions of the filters of the list and the export.
	 *
	 * @return array<string, string>
	 */
	private static function filter_descriptions(): array {
		return array(
			'action' => __( 'Only events with this action.', 'consentry' ),
			'from'   => __( 'Only events at or after this time (ISO 8601).', 'consentry' ),
			'to'     => __( 'Only events before this time (ISO 8601).', 'consentry' ),
		);
	}
}
