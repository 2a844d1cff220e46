<?php
/**
 * Cookie scans of the linked site.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Cookie_Declaration;
use Consentry\Schema;
use WP_REST_Request;
use WP_REST_Response;
use WP_Error;
use WP_REST_Server;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * GET/POST /admin/scans, GET /admin/scans/<id>, POST /admin/scans/<id>/cancel.
 *
 * The scan runs in the service (a headless Chromium there loads this site's
 * pages); these routes start, list, watch and cancel it with the stored
 * secret key. Without a start URL a scan starts at this site's home page: the
 * service's own default is `https://<domain>/`, which a site served over
 * plain http would not answer.
 */
final class Scans_Controller extends Admin_Controller {

	public const REST_BASE = 'admin/scans';

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
					'callback'            => array( $this, 'list_scans' ),
					'permission_callback' => $permission,
					'args'                => self::shared_args(
						'ScanListQuery',
						array(
							'limit'  => __( 'Scans per page.', 'consentry' ),
							'offset' => __( 'Scans to skip.', 'consentry' ),
							'state'  => __( 'Only scans in this state.', 'consentry' ),
						)
					),
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'start_scan' ),
					'permission_callback' => $permission,
					'args'                => self::shared_args(
						'CreateScanBody',
						array(
							'startUrl'   => __( 'Page the scan starts at: this site or one of its subdomains. Default: the home page.', 'consentry' ),
							'pageBudget' => __( 'Most pages scanned, the start page included.', 'consentry' ),
							'include'    => __( 'Only pages whose path matches one of these patterns.', 'consentry' ),
							'exclude'    => __( 'Pages whose path matches one of these patterns are skipped.', 'consentry' ),
						),
						array( 'startUrl' => self::URL_ARG )
					),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/' . $id,
			array(
				'args' => array( 'id' => self::id_arg() ),
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_scan' ),
					'permission_callback' => $permission,
					'args'                => array(),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/' . $id . '/cancel',
			array(
				'args' => array( 'id' => self::id_arg() ),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'cancel_scan' ),
					'permission_callback' => $permission,
					'args'                => array(),
				),
			)
		);
	}

	/**
	 * The site's scans, newest first.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function list_scans( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$query = array();
		foreach ( Schema::SHAPES['ScanListQuery'] as $field ) {
			$query[ $field ] = $request->get_param( $field );
		}
		return self::respond( $client->request_text( 'GET', self::site_path( '/scans' ), null, $query ) );
	}

	/**
	 * Starts a scan (202); 409 while another one of the site is queued or running.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function start_scan( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$body = self::forward_fields( $request, Schema::SHAPES['CreateScanBody'] );
		if ( empty( $body['startUrl'] ) ) {
			$body['startUrl'] = home_url( '/' );
		}
		return self::respond( $client->request_text( 'POST', self::site_path( '/scans' ), $body ), 202 );
	}

	/**
	 * One scan with its pages, items, violations and diff. Once a scan has
	 * ended, the cookie declaration is fetched again (once per scan): a scan
	 * may have changed what is published.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function get_scan( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$result = $client->request_text( 'GET', self::scan_path( $request ) );
		if ( ! is_wp_error( $result ) ) {
			$answer = json_decode( $result, true );
			$scan   = is_array( $answer ) ? ( $answer['scan'] ?? array() ) : array();
			if ( is_array( $scan ) && in_array( $scan['state'] ?? '', Schema::SCAN_FINAL_STATES, true ) ) {
				Cookie_Declaration::after_scan( (string) ( $scan['id'] ?? '' ) );
			}
		}
		return self::respond( $result );
	}

	/**
	 * Cancels a queued or running scan.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function cancel_scan( WP_REST_Request $request ) {
		$client = self::connected_client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		return self::respond( $client->request_text( 'POST', self::scan_path( $request, '/cancel' ), array() ) );
	}

	/**
	 * Service path of the scan named in the URL.
	 *
	 * @param WP_REST_Request $request Request.
	 * @param string          $suffix  Path after the scan id.
	 */
	private static function scan_path( WP_REST_Request $request, string $suffix = '' ): string {
		return self::site_path( '/scans/' . rawurlencode( (string) $request->get_param( 'id' ) ) . $suffix );
	}
}
