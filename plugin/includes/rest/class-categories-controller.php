<?php
/**
 * Consent categories of the linked site.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Banner_Config;
use Consentry\Cookie_Declaration;
use Consentry\Schema;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * GET/POST /admin/categories, PATCH/DELETE /admin/categories/<id>,
 * PUT /admin/categories/reorder. Every change refreshes the banner cache.
 */
final class Categories_Controller extends Admin_Controller {

	public const REST_BASE = 'admin/categories';

	/**
	 * Registers the routes.
	 */
	public function register_routes(): void {
		$permission = array( $this, 'check_admin_permission' );
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'list_categories' ),
					'permission_callback' => $permission,
					'args'                => array(),
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_category' ),
					'permission_callback' => $permission,
					'args'                => self::category_args( true ),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/reorder',
			array(
				array(
					'methods'             => 'PUT',
					'callback'            => array( $this, 'reorder_categories' ),
					'permission_callback' => $permission,
					'args'                => self::shared_args( 'ReorderBody', array( 'order' => __( 'New sort order: one entry per category.', 'consentry' ) ) ),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/(?P<id>[A-Za-z0-9_]{1,64})',
			array(
				'args' => array( 'id' => self::id_arg() ),
				array(
					'methods'             => 'PATCH',
					'callback'            => array( $this, 'update_category' ),
					'permission_callback' => $permission,
					'args'                => self::category_args( false ),
				),
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( $this, 'delete_category' ),
					'permission_callback' => $permission,
					'args'                => array(),
				),
			)
		);
	}

	/**
	 * The categories in order.
	 *
	 * @return WP_REST_Response|WP_Error
	 */
	public function list_categories() {
		$client = self::connected_client();
		return is_wp_error( $client ) ? $client : self::respond( $client->request_text( 'GET', self::site_path( '/categories' ) ) );
	}

	/**
	 * Creates a category.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function create_category( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		return self::changed( $client->request_text( 'POST', self::site_path( '/categories' ), self::forward_fields( $request, Schema::SHAPES['CreateCategoryBody'] ) ), 201 );
	}

	/**
	 * Changes a category (its key stays).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function update_category( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$body = self::forward_fields( $request, Schema::SHAPES['UpdateCategoryBody'] );
		if ( ! $body ) {
			return new WP_Error( 'rest_missing_callback_param', __( 'Nothing to change.', 'consentry' ), array( 'status' => 400 ) );
		}
		return self::changed( $client->request_text( 'PATCH', self::category_path( $request ), $body ) );
	}

	/**
	 * Deletes a category (the service refuses required ones with 409).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function delete_category( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$result = $client->request_text( 'DELETE', self::category_path( $request ) );
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		Banner_Config::refresh();
		Cookie_Declaration::expire();
		return new WP_REST_Response( null, 204 );
	}

	/**
	 * Saves a new order.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function reorder_categories( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$order = array_map(
			static fn( array $item ) => array(
				'id'        => (string) $item['id'],
				'sortOrder' => (int) $item['sortOrder'],
			),
			(array) $request->get_param( 'order' )
		);
		return self::changed( $client->request_text( 'PUT', self::site_path( '/categories/reorder' ), array( 'order' => $order ) ) );
	}

	/**
	 * Answers a write and refreshes the banner cache when it worked.
	 *
	 * @param array<string, mixed>|WP_Error $result Service answer.
	 * @param int                           $status Status on success.
	 * @return WP_REST_Response|WP_Error
	 */
	private static function changed( $result, int $status = 200 ) {
		if ( ! is_wp_error( $result ) ) {
			Banner_Config::refresh();
			// The declaration prints category names: the next one is fetched fresh.
			Cookie_Declaration::expire();
		}
		return self::respond( $result, $status );
	}

	/**
	 * Service path of the category named in the URL.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private static function category_path( WP_REST_Request $request ): string {
		return self::site_path( '/categories/' . rawurlencode( (string) $request->get_param( 'id' ) ) );
	}

	/**
	 * Schema of a category body: the service's own (the shared CreateCategoryBody or UpdateCategoryBody).
	 *
	 * @param bool $create Whether key and nameEn are required (create) or the key is absent (update).
	 * @return array<string, array<string, mixed>>
	 */
	private static function category_args( bool $create ): array {
		return self::shared_args(
			$create ? 'CreateCategoryBody' : 'UpdateCategoryBody',
			array(
				'key'               => __( 'Key: lower-case letters, digits and _.', 'consentry' ),
				'nameEn'            => __( 'Name in English.', 'consentry' ),
				'descriptionEn'     => __( 'Description in English.', 'consentry' ),
				'translations'      => __( 'Names and descriptions per language tag.', 'consentry' ),
				'isRequired'        => __( 'Always on; visitors cannot turn it off.', 'consentry' ),
				'isDefault'         => __( 'Shown switched on in the preference centre.', 'consentry' ),
				'wpConsentCategory' => __( 'WP Consent API category this one stands for.', 'consentry' ),
				'cookies'           => __( 'Cookie names deleted on revoke (a trailing * matches a prefix).', 'consentry' ),
				'blockPatterns'     => __( 'Script or iframe URL parts blocked until this category is granted.', 'consentry' ),
			),
			array( 'translations' => self::MEMBERS_BY_SERVICE )
		);
	}
}
