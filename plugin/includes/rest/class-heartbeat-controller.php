<?php
/**
 * One pageview.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use WP_REST_Response;

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
	 * While the service is away a pageview is not counted, and not queued: the
	 * counts only feed the usage meter and the plan's allowance (an outage
	 * undercounts, in the site owner's favour), while the queue's room is kept
	 * for proof of consent, which must not be lost.
	 *
	 * @param array<string, mixed> $body       The validated fields.
	 * @param string               $ip         The visitor's address.
	 * @param string               $user_agent The visitor's browser.
	 */
	protected function while_unavailable( array $body, string $ip, string $user_agent ): ?WP_REST_Response {
		return self::not_counted();
	}

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
