<?php
/**
 * Webhook endpoints of the service account, and their delivery logs.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Schema;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * GET/POST /admin/webhooks, PATCH/DELETE /admin/webhooks/<id>,
 * POST /admin/webhooks/<id>/rotate-secret, GET /admin/webhooks/<id>/deliveries,
 * POST /admin/webhooks/<id>/deliveries/<delivery_id>/redeliver.
 *
 * Endpoints belong to the service account (every site connected with the same
 * secret key shares them). The signing secret (`whsec_…`) that create and
 * rotate answer is the integrator's own secret for their receiver: it is passed
 * to the admin once, as the service shows it once, and never stored here.
 */
final class Webhooks_Controller extends Admin_Controller {

	public const REST_BASE = 'admin/webhooks';

	/**
	 * Registers the routes.
	 */
	public function register_routes(): void {
		$permission = array( $this, 'check_admin_permission' );
		$id         = '(?P<id>[A-Za-z0-9_]{1,64})';
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'list_endpoints' ),
					'permission_callback' => $permission,
					'args'                => array(),
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_endpoint' ),
					'permission_callback' => $permission,
					'args'                => self::endpoint_args( true ),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/' . $id,
			array(
				'args' => array( 'id' => self::id_arg() ),
				array(
					'methods'             => 'PATCH',
					'callback'            => array( $this, 'update_endpoint' ),
					'permission_callback' => $permission,
					'args'                => self::endpoint_args( false ),
				),
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( $this, 'delete_endpoint' ),
					'permission_callback' => $permission,
					'args'                => array(),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/' . $id . '/rotate-secret',
			array(
				'args' => array( 'id' => self::id_arg() ),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'rotate_secret' ),
					'permission_callback' => $permission,
					'args'                => array(),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/' . $id . '/deliveries',
			array(
				'args' => array( 'id' => self::id_arg() ),
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'list_deliveries' ),
					'permission_callback' => $permission,
					'args'                => self::shared_args(
						'DeliveryListQuery',
						array(
							'limit'  => __( 'Deliveries per page.', 'consentry' ),
							'offset' => __( 'Deliveries to skip.', 'consentry' ),
						)
					),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/' . $id . '/deliveries/(?P<delivery_id>[A-Za-z0-9_]{1,64})/redeliver',
			array(
				'args' => array(
					'id'          => self::id_arg(),
					'delivery_id' => self::id_arg(),
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'redeliver' ),
					'permission_callback' => $permission,
					'args'                => array(),
				),
			)
		);
	}

	/**
	 * The account's endpoints (never their secrets).
	 *
	 * @return WP_REST_Response|WP_Error
	 */
	public function list_endpoints() {
		$client = self::connected_client();
		return is_wp_error( $client ) ? $client : self::respond( $client->request_text( 'GET', '/webhooks' ) );
	}

	/**
	 * Adds an endpoint; the answer carries its signing secret, this once.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function create_endpoint( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		return self::no_store( self::respond( $client->request_text( 'POST', '/webhooks', self::body( $request ) ), 201 ) );
	}

	/**
	 * Changes an endpoint's URL, events, description or enabled flag.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function update_endpoint( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$body = self::body( $request );
		if ( ! $body ) {
			return new WP_Error( 'rest_missing_callback_param', __( 'Nothing to change.', 'consentry' ), array( 'status' => 400 ) );
		}
		return self::respond( $client->request_text( 'PATCH', self::endpoint_path( $request ), $body ) );
	}

	/**
	 * Removes an endpoint and its delivery log.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function delete_endpoint( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$result = $client->request_text( 'DELETE', self::endpoint_path( $request ) );
		return is_wp_error( $result ) ? $result : new WP_REST_Response( null, 204 );
	}

	/**
	 * Gives an endpoint a new signing secret; the answer carries it, this once.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function rotate_secret( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		return self::no_store( self::respond( $client->request_text( 'POST', self::endpoint_path( $request, '/rotate-secret' ), array() ) ) );
	}

	/**
	 * One page of an endpoint's delivery log, newest first.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function list_deliveries( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$query = array(
			'limit'  => (int) $request->get_param( 'limit' ),
			'offset' => (int) $request->get_param( 'offset' ),
		);
		return self::respond( $client->request_text( 'GET', self::endpoint_path( $request, '/deliveries' ), null, $query ) );
	}

	/**
	 * Sends a past delivery again (the service queues a new delivery with the same body).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function redeliver( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$path = self::endpoint_path( $request, '/deliveries/' . rawurlencode( (string) $request->get_param( 'delivery_id' ) ) . '/redeliver' );
		return self::respond( $client->request_text( 'POST', $path, array() ), 202 );
	}

	/**
	 * The fields to send to the service, sanitised by their args.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return array<string, mixed>
	 */
	private static function body( WP_REST_Request $request ): array {
		$body = array();
		foreach ( Schema::SHAPES['UpdateWebhookBody'] as $field ) {
			if ( ! $request->has_param( $field ) ) {
				continue;
			}
			$value = $request->get_param( $field );
			if ( 'events' === $field ) {
				$value = array_values( array_unique( array_map( 'strval', (array) $value ) ) );
			} elseif ( 'enabled' === $field ) {
				$value = (bool) $value;
			} else {
				$value = (string) $value;
			}
			$body[ $field ] = $value;
		}
		return $body;
	}

	/**
	 * An answer that carries a signing secret: no cache may keep it.
	 *
	 * @param WP_REST_Response|WP_Error $response Response.
	 * @return WP_REST_Response|WP_Error
	 */
	private static function no_store( $response ) {
		if ( $response instanceof WP_REST_Response ) {
			$response->header( 'Cache-Control', 'no-store, private' );
		}
		return $response;
	}

	/**
	 * Service path of the endpoint named in the URL.
	 *
	 * @param WP_REST_Request $request Request.
	 * @param string          $suffix  Path after the endpoint id.
	 */
	private static function endpoint_path( WP_REST_Request $request, string $suffix = '' ): string {
		return '/webhooks/' . rawurlencode( (string) $request->get_param( 'id' ) ) . $suffix;
	}

	/**
	 * Schema of an endpoint body.
	 *
	 * @param bool $create Whether url and events are required.
	 * @return array<string, array<string, mixed>>
	 */
	private static function endpoint_args( bool $create ): array {
		return self::shared_args(
			$create ? 'CreateWebhookBody' : 'UpdateWebhookBody',
			array(
				'url'         => __( 'Where deliveries are POSTed: an http or https URL.', 'consentry' ),
				'events'      => __( 'Events sent to this endpoint.', 'consentry' ),
				'description' => __( 'A note for the admin: what receives these events.', 'consentry' ),
				'enabled'     => __( 'Whether deliveries are sent.', 'consentry' ),
			),
			array(
				'url'         => self::URL_ARG,
				'description' => self::TEXT_ARG,
			)
		);
	}
}
