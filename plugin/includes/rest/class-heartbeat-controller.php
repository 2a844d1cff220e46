<?php
/**
 * One pageview.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * POST /heartbeat -> service POST /heartbeat. Public: see Visitor_Controller.
 */
final class Heartbeat_Controller extends Visitor_Controller {

	public const REST_BASE         = 'heartbeat';
	public const SERVICE_PATH      = '/heartbeat';
	public const RATE_LIMIT_FACTOR = 2;

	/**
	 * Argument schema: the service's own (the shared HeartbeatBody).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	protected function args(): array {
		return self::shared_args(
			'HeartbeatBody',
			array(
				'session_id' => __( 'Random id of the browsing session.', 'consentry' ),
				'page_url'   => __( 'Page viewed.', 'consentry' ),
				'referrer'   => __( 'Referrer of the page, if any.', 'consentry' ),
			),
			array(
				'page_url' => self::URL_ARG,
				'referrer' => self::TEXT_ARG,
			)
		);
	}
}
