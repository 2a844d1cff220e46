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
	 * Events per service request while exporting (the service's maximum).
	 */
	public const EXPORT_PAGE = 100;

	/**
	 * Columns of the export, in order.
	 */
	public const CSV_COLUMNS = array( 'id', 'createdAt', 'consentId', 'action', 'categories', 'policyVersion', 'language', 'pageUrl', 'userAgent', 'ipAnonymized', 'gpc', 'test' );

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
					'args'                => array_merge(
						self::filter_args(),
						array(
							'limit'  => array(
								'description'       => __( 'Events per page.', 'consentry' ),
								'type'              => 'integer',
								'minimum'           => 1,
								'maximum'           => 100,
								'default'           => 50,
								'validate_callback' => 'rest_validate_request_arg',
								'sanitize_callback' => 'absint',
							),
							'offset' => array(
								'description'       => __( 'Events to skip.', 'consentry' ),
								'type'              => 'integer',
								'minimum'           => 0,
								'default'           => 0,
								'validate_callback' => 'rest_validate_request_arg',
								'sanitize_callback' => 'absint',
							),
							'cursor' => array(
								'description'       => __( 'nextCursor of the previous page.', 'consentry' ),
								'type'              => 'string',
								'maxLength'         => 200,
								'pattern'           => '^[A-Za-z0-9_.=-]*$',
								'validate_callback' => 'rest_validate_request_arg',
								'sanitize_callback' => 'rest_sanitize_request_arg',
							),
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
					'args'                => self::filter_args(),
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
	 * Starts the export: fetches the first page here so a service failure is
	 * still a proper JSON error; `serve_csv` writes the rows and the next pages.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function export_events( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$filters = self::filters( $request );
		$first   = $client->request( 'GET', self::events_path(), null, $filters + array( 'limit' => self::EXPORT_PAGE ) );
		if ( is_wp_error( $first ) ) {
			return $first;
		}
		$response = new WP_REST_Response( new Csv_Export( $client, self::events_path(), $filters, $first ), 200 );
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
		$result->get_data()->stream( fopen( 'php://output', 'wb' ) );
		return true;
	}

	/**
	 * A CSV cell: spreadsheet formulas neutralised (a leading = + - @ tab or CR gets a quote).
	 *
	 * @param mixed $value Value.
	 */
	public static function csv_cell( $value ): string {
		if ( is_bool( $value ) ) {
			return $value ? 'true' : 'false';
		}
		if ( is_array( $value ) || is_object( $value ) ) {
			$value = (string) wp_json_encode( $value );
		}
		$value = (string) $value;
		return '' !== $value && str_contains( "=+-@\t\r", $value[0] ) ? "'" . $value : $value;
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
		return '/consent/events/' . rawurlencode( \Consentry\Settings::site_id() );
	}

	/**
	 * Filter arguments shared by the list and the export.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private static function filter_args(): array {
		$date = array(
			'type'              => 'string',
			'format'            => 'date-time',
			'maxLength'         => 40,
			'validate_callback' => 'rest_validate_request_arg',
			'sanitize_callback' => 'rest_sanitize_request_arg',
		);
		return array(
			'action' => array(
				'description'       => __( 'Only events with this action.', 'consentry' ),
				'type'              => 'string',
				'enum'              => array( 'accept_all', 'reject_all', 'custom', 'withdraw' ),
				'validate_callback' => 'rest_validate_request_arg',
				'sanitize_callback' => 'rest_sanitize_request_arg',
			),
			'from'   => array_merge( $date, array( 'description' => __( 'Only events at or after this time (ISO 8601).', 'consentry' ) ) ),
			'to'     => array_merge( $date, array( 'description' => __( 'Only events before this time (ISO 8601).', 'consentry' ) ) ),
		);
	}
}
