<?php
/**
 * The queue of visitors' choices waiting for the service, for administrators.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Offline_Queue;
use WP_REST_Response;
use WP_REST_Server;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * `GET admin/queue`: how many choices wait, since when, how many were
 * dropped, and when the next cron run is. `POST admin/queue/flush`: sends
 * them now (what the cron event does), and says what happened.
 */
final class Queue_Controller extends Admin_Controller {

	public const REST_BASE = 'admin/queue';

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
					'callback'            => array( $this, 'state' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => array(),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . self::REST_BASE . '/flush',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'flush' ),
					'permission_callback' => array( $this, 'check_admin_permission' ),
					'args'                => array(),
				),
			)
		);
	}

	/**
	 * The queue's state.
	 */
	public function state(): WP_REST_Response {
		return self::no_cache( new WP_REST_Response( self::facts(), 200 ) );
	}

	/**
	 * Sends waiting choices now.
	 */
	public function flush(): WP_REST_Response {
		$report = Offline_Queue::flush( Offline_Queue::CRON_BATCHES );
		return self::no_cache( new WP_REST_Response( $report + self::facts(), 200 ) );
	}

	/**
	 * Waiting, oldest, dropped, cap, nextFlush.
	 *
	 * @return array<string, mixed>
	 */
	private static function facts(): array {
		$oldest = Offline_Queue::oldest();
		$next   = wp_next_scheduled( Offline_Queue::CRON_HOOK );
		return array(
			'waiting'   => Offline_Queue::length(),
			'oldest'    => null === $oldest ? null : gmdate( 'Y-m-d\TH:i:s\Z', $oldest ),
			'dropped'   => Offline_Queue::dropped(),
			'cap'       => Offline_Queue::CAP,
			'nextFlush' => false === $next ? null : gmdate( 'Y-m-d\TH:i:s\Z', (int) $next ),
		);
	}

	/**
	 * Of this moment: never cached.
	 *
	 * @param WP_REST_Response $response Response.
	 */
	private static function no_cache( WP_REST_Response $response ): WP_REST_Response {
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}
}
