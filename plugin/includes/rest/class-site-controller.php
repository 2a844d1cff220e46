<?php
/**
 * The linked site and its banner configuration.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Banner_Config;
use Consentry\Settings;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * GET and PATCH /admin/site.
 */
final class Site_Controller extends Admin_Controller {

	public const REST_BASE = 'admin/site';

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
					'callback'            => array( $this, 'get_site' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => array(),
				),
				array(
					'methods'             => WP_REST_Server::EDITABLE,
					'callback'            => array( $this, 'update_site' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => self::shared_args(
						'UpdateSiteBody',
						array(
							'name'         => __( 'Name of the site in the service.', 'consentry' ),
							'config'       => __( 'Banner configuration (SiteConfig); replaces the stored one whole. The service validates every field.', 'consentry' ),
							'scanSchedule' => __( 'Scheduled cookie scans: on or off, and the days between them.', 'consentry' ),
						),
						array(
							'name'   => self::TEXT_ARG,
							'config' => array( 'validate_callback' => array( self::class, 'validate_config' ) ) + self::MEMBERS_BY_SERVICE,
						)
					),
				),
			)
		);
	}

	/**
	 * The site with its categories.
	 *
	 * @return WP_REST_Response|WP_Error
	 */
	public function get_site() {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$result = $client->request_text( 'GET', self::site_path() );
		if ( ! is_wp_error( $result ) ) {
			self::remember_public_key( (array) json_decode( $result, true ) );
		}
		return self::respond( $result );
	}

	/**
	 * Changes the name and/or the banner configuration.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function update_site( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$body = self::forward_fields( $request, array( 'name', 'config', 'scanSchedule' ) );
		if ( ! $body ) {
			return new WP_Error( 'rest_missing_callback_param', __( 'Send a name, a config or a scan schedule.', 'consentry' ), array( 'status' => 400 ) );
		}
		$result = $client->request_text( 'PATCH', self::site_path(), $body );
		if ( ! is_wp_error( $result ) ) {
			self::remember_public_key( (array) json_decode( $result, true ) );
			Banner_Config::refresh();
		}
		return self::respond( $result );
	}

	/**
	 * Schema check plus a size cap: the config is printed into every page.
	 *
	 * @param mixed           $value   Value.
	 * @param WP_REST_Request $request Request.
	 * @param string          $param   Parameter name.
	 * @return true|WP_Error
	 */
	public static function validate_config( $value, WP_REST_Request $request, string $param ) {
		$valid = rest_validate_request_arg( $value, $request, $param );
		if ( is_wp_error( $valid ) ) {
			return $valid;
		}
		if ( strlen( (string) wp_json_encode( $value ) ) > 64 * KB_IN_BYTES ) {
			return new WP_Error( 'rest_invalid_param', __( 'The banner configuration is too large (64 KiB at most).', 'consentry' ), array( 'status' => 400 ) );
		}
		return true;
	}

	/**
	 * Keeps the stored public key in step with the service (after a rotation).
	 *
	 * @param array<string, mixed> $result Service answer with a `site`.
	 */
	private static function remember_public_key( array $result ): void {
		$key = $result['site']['publicKey'] ?? '';
		if ( is_string( $key ) && '' !== $key && Settings::public_key() !== $key ) {
			Settings::save_public_key( $key );
			Banner_Config::refresh();
		}
	}
}
