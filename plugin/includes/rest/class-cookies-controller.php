<?php
/**
 * The cookie inventory of the linked site, and the declaration printed from it.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Cookie_Declaration;
use Consentry\Schema;
use Consentry\Settings;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * GET/POST /admin/cookies, PATCH/DELETE /admin/cookies/<id>,
 * GET/PATCH /admin/declaration.
 *
 * Every change of the inventory refreshes the cached declaration at once,
 * which is also when a policy-version bump happens (see Cookie_Declaration).
 */
final class Cookies_Controller extends Admin_Controller {

	public const REST_BASE = 'admin/cookies';

	/**
	 * Route of the declaration's status and switch.
	 */
	public const DECLARATION_BASE = 'admin/declaration';

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
					'callback'            => array( $this, 'list_entries' ),
					'permission_callback' => $permission,
					'args'                => self::shared_args(
						'InventoryListQuery',
						array(
							'limit'        => __( 'Entries per page.', 'consentry' ),
							'offset'       => __( 'Entries to skip.', 'consentry' ),
							'kind'         => __( 'Only entries of this kind.', 'consentry' ),
							'reviewState'  => __( 'Only entries in this review state.', 'consentry' ),
							'source'       => __( 'Only entries found by scans, or only manual ones.', 'consentry' ),
							'categoryKey'  => __( 'Only entries of this category.', 'consentry' ),
							'unclassified' => __( 'Only entries without a category.', 'consentry' ),
						)
					),
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_entry' ),
					'permission_callback' => $permission,
					'args'                => self::entry_args( 'CreateInventoryBody' ),
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
					'callback'            => array( $this, 'update_entry' ),
					'permission_callback' => $permission,
					'args'                => self::entry_args( 'UpdateInventoryBody' ),
				),
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( $this, 'delete_entry' ),
					'permission_callback' => $permission,
					'args'                => array(),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::DECLARATION_BASE,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_declaration' ),
					'permission_callback' => $permission,
					'args'                => array(),
				),
				array(
					'methods'             => 'PATCH',
					'callback'            => array( $this, 'update_declaration' ),
					'permission_callback' => $permission,
					'args'                => array(
						'bumpPolicyOnNewItems' => array(
							'description' => __( 'Bump the policy version, so visitors are asked again, when new reviewed items join the declaration.', 'consentry' ),
							'type'        => 'boolean',
							'required'    => true,
						),
					),
				),
			)
		);
	}

	/**
	 * The inventory.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function list_entries( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$query = array();
		foreach ( Schema::SHAPES['InventoryListQuery'] as $field ) {
			$query[ $field ] = $request->get_param( $field );
		}
		return self::respond( $client->request_text( 'GET', self::site_path( '/cookies' ), null, $query ) );
	}

	/**
	 * Adds a manual entry.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function create_entry( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		return self::changed( $client->request_text( 'POST', self::site_path( '/cookies' ), self::forward_fields( $request, Schema::SHAPES['CreateInventoryBody'] ) ), 201 );
	}

	/**
	 * Changes an entry: its category, review state or texts.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function update_entry( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$body = self::forward_fields( $request, Schema::SHAPES['UpdateInventoryBody'] );
		if ( ! $body ) {
			return new WP_Error( 'rest_missing_callback_param', __( 'Nothing to change.', 'consentry' ), array( 'status' => 400 ) );
		}
		return self::changed( $client->request_text( 'PATCH', self::entry_path( $request ), $body ) );
	}

	/**
	 * Deletes a manual entry (the service refuses scanned ones: mark them ignored instead).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function delete_entry( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$result = $client->request_text( 'DELETE', self::entry_path( $request ) );
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		Cookie_Declaration::refresh();
		return new WP_REST_Response( null, 204 );
	}

	/**
	 * What the declaration publishes, and the policy-bump switch.
	 *
	 * @return WP_REST_Response
	 */
	public function get_declaration() {
		return new WP_REST_Response( Cookie_Declaration::status() );
	}

	/**
	 * Turns the policy-bump switch on or off. The declaration is fetched first,
	 * so only items reviewed from now on count as new.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public function update_declaration( WP_REST_Request $request ) {
		$on = (bool) $request->get_param( 'bumpPolicyOnNewItems' );
		if ( $on ) {
			Cookie_Declaration::refresh();
		}
		$settings                             = Settings::settings();
		$settings['bump_policy_on_new_items'] = $on;
		update_option( Settings::OPTION_SETTINGS, $settings );
		return new WP_REST_Response( Cookie_Declaration::status() );
	}

	/**
	 * Answers a write and refreshes the declaration when it worked.
	 *
	 * @param string|WP_Error $result Service answer.
	 * @param int             $status Status on success.
	 * @return WP_REST_Response|WP_Error
	 */
	private static function changed( $result, int $status = 200 ) {
		if ( ! is_wp_error( $result ) ) {
			Cookie_Declaration::refresh();
		}
		return self::respond( $result, $status );
	}

	/**
	 * Service path of the entry named in the URL.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private static function entry_path( WP_REST_Request $request ): string {
		return self::site_path( '/cookies/' . rawurlencode( (string) $request->get_param( 'id' ) ) );
	}

	/**
	 * Schema of an entry body: the service's own.
	 *
	 * @param string $shape CreateInventoryBody or UpdateInventoryBody.
	 * @return array<string, array<string, mixed>>
	 */
	private static function entry_args( string $shape ): array {
		return self::shared_args(
			$shape,
			array(
				'name'         => __( 'Cookie name, storage key or database name.', 'consentry' ),
				'kind'         => __( 'Cookie, local storage, session storage or IndexedDB.', 'consentry' ),
				'domain'       => __( 'The cookie\'s domain as set, or the host for storage; empty for this site\'s own.', 'consentry' ),
				'provider'     => __( 'Who sets it (a company or this site).', 'consentry' ),
				'purpose'      => __( 'What it is for, as visitors read it.', 'consentry' ),
				'retention'    => __( 'How long it is kept.', 'consentry' ),
				'categoryKey'  => __( 'Key of the consent category it belongs to; null: unclassified.', 'consentry' ),
				'reviewState'  => __( 'todo, done (published in the cookie declaration) or ignored.', 'consentry' ),
				'translations' => __( 'Provider, purpose and retention per language tag.', 'consentry' ),
			),
			array(
				'name'         => self::TEXT_ARG,
				'provider'     => self::TEXT_ARG,
				'retention'    => self::TEXT_ARG,
				'translations' => self::MEMBERS_BY_SERVICE,
			)
		);
	}
}
