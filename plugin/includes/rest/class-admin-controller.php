<?php
/**
 * Base of the admin routes.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Schema;
use Consentry\Service_Client;
use Consentry\Settings;
use WP_Error;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Admin routes answer administrators only (capability + the REST nonce that
 * api-fetch sends; WordPress treats a cookie without nonce as logged out).
 */
abstract class Admin_Controller extends Controller {

	/**
	 * Permission callback of every admin route.
	 *
	 * @return true|WP_Error
	 */
	public function check_admin_permission() {
		if ( current_user_can( 'manage_options' ) ) {
			return true;
		}
		return new WP_Error(
			'rest_forbidden',
			__( 'Sorry, you are not allowed to manage Consentry.', 'consentry' ),
			array( 'status' => 403 )
		);
	}

	/**
	 * A client for the stored connection, or `consentry_not_connected` (409).
	 *
	 * @return Service_Client|WP_Error
	 */
	protected static function connected_client() {
		if ( ! Settings::is_connected() ) {
			return new WP_Error(
				'consentry_not_connected',
				__( 'Consentry is not connected to a service yet. Connect it first.', 'consentry' ),
				array( 'status' => 409 )
			);
		}
		return Service_Client::from_settings();
	}

	/**
	 * The path of the linked site on the service.
	 *
	 * @param string $suffix Path after the site id.
	 */
	protected static function site_path( string $suffix = '' ): string {
		return '/sites/' . rawurlencode( Settings::site_id() ) . $suffix;
	}

	/**
	 * Schema pieces used by several routes.
	 *
	 * @return array<string, mixed>
	 */
	protected static function id_arg(): array {
		return array( 'required' => true ) + Schema::FIELDS['siteId'];
	}
}
